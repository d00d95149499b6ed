// 检验 (audit or cast, issue 28): a member audits the ballot their Chromium
// terminal sealed instead of casting it; the window's 核验被检验的选票 opens it
// with the released randomness and shows the marked choices; the member then
// casts, and only that ballot is counted. A terminal whose ballot code is
// altered (here, in the test, to swap 同意 and 不同意 before encryption) is
// caught by an audit: the window shows the swap.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerDialog, binary, byTestId, chairPin, createMeeting, freshDataDir, importFixtures, launch, nameTrustees, outDir,
  printPins, screenshot, startDriver, tallyRound, waitForText, CHAIR,
} from '../lib/app.mjs';
import { cardLinks, chromium } from '../lib/terminal.mjs';

const PORT = 20000 + Math.floor(Math.random() * 20000);
// M05 signs in from the seat; M08, signed in by the secretary, votes on the altered terminal.
const TERMINAL_MEMBERS = ['M05'];
const BY_SECRETARY = Array.from({ length: 18 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`).filter(
  (m) => !TERMINAL_MEMBERS.includes(m),
);
const CHOICES = ['for', 'against', 'abstain'];
const WORDS = { zh: { for: '同意', against: '不同意', abstain: '弃权' }, en: { for: 'For', against: 'Against', abstain: 'Abstain' } };

function meetingDb(dataDir) {
  const dir = join(dataDir, 'meetings');
  return join(dir, readdirSync(dir)[0], 'meeting.db');
}

async function pair(term, link, who) {
  await term.url(link);
  await waitForText(term, 'terminal-paired', who);
  await (await byTestId(term, 'terminal-confirm-button')).click();
}

/** Marks line i `pick(i)`; returns {candidate: choice} as marked. */
async function mark(term, pick) {
  await byTestId(term, 'ballot');
  const marked = {};
  const lines = await term.$$('[data-testid="ballot-line"]');
  for (let i = 0; i < lines.length; i++) {
    const choice = pick(i);
    await (await lines[i].$(`[data-testid="choose-${choice}"]`)).click();
    marked[await lines[i].getAttribute('data-candidate')] = choice;
  }
  return marked;
}

/** 核对后确认投票: the sealed ballot's tracker, shown before 投出 or 检验. */
async function review(term) {
  await (await byTestId(term, 'review-ballot')).click();
  const sealed = await byTestId(term, 'sealed-tracker', { timeout: 20000 }).catch(async (e) => {
    throw new Error(`no sealed ballot; the terminal says: ${await term.execute(() => document.body.innerText)}`, { cause: e });
  });
  const shown = await sealed.getText();
  const tracker = shown.match(/[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
  assert.ok(tracker, `a tracker on the review screen: ${shown}`);
  return tracker;
}

/** The window's check of audited ballot `tracker`: {candidate: choice}. */
async function checkInWindow(browser, tracker) {
  await browser.waitUntil(async () => (await browser.$(`[data-testid="audited-ballot"][data-tracker="${tracker}"]`)).isExisting(), {
    timeout: 15000,
    timeoutMsg: `the window never listed audited ballot ${tracker}`,
  });
  await (await (await browser.$(`[data-testid="audited-ballot"][data-tracker="${tracker}"]`)).$('[data-testid="check-audited"]')).click();
  await browser.waitUntil(async () => (await (await browser.$('[data-testid="audited-check"]')).getAttribute('data-tracker')) === tracker, {
    timeout: 15000,
    timeoutMsg: 'the check never showed',
  });
  const shown = {};
  for (const row of await browser.$$('[data-testid="audited-line"]')) {
    shown[await row.getAttribute('data-candidate')] = await row.getAttribute('data-choice');
  }
  return shown;
}

/** Scrolls the window so the check's table is in the screenshot. */
async function showCheck(browser) {
  await browser.execute(() => document.querySelector('[data-testid="audited-check"]')?.scrollIntoView({ block: 'end' }));
  await new Promise((r) => setTimeout(r, 300));
}

describe('检验: a member audits a ballot and checks it in the window', () => {
  const dataDir = freshDataDir('audit');
  let driver;
  let browser;
  let tablet;
  let altered;
  let links;
  let pins;
  let marked;

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '选票检验测试会议');
    await importFixtures(browser, dataDir);
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    execFileSync(binary, ['signin', '--meeting', meetingDb(dataDir), ...BY_SECRETARY]);
    await (await byTestId(browser, 'tab-network')).click();
    await (await byTestId(browser, 'network-address')).selectByAttribute('value', '127.0.0.1');
    const port = await byTestId(browser, 'network-port');
    await port.clearValue();
    await port.setValue(String(PORT));
    await (await byTestId(browser, 'network-start')).click();
    await waitForText(browser, 'network-url', `https://127.0.0.1:${PORT}/t/`);
    const cards = join(outDir, 'e2e-audit-cards.pdf');
    answerDialog(dataDir, cards);
    await (await byTestId(browser, 'print-terminal-cards')).click();
    await waitForText(browser, 'cards-saved', cards);
    links = cardLinks(cards);
  });

  after(async () => {
    await tablet?.close();
    await altered?.close();
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('audits a sealed ballot on a Chromium tablet: spoiled, and the member marks again', async () => {
    tablet = await chromium({ width: 800, height: 1280 });
    const who = Object.keys(links).find((k) => k.endsWith('（M05）'));
    await pair(tablet.browser, links[who], who.replace('（M05）', ''));
    await (await byTestId(tablet.browser, 'terminal-signin')).click();
    await waitForText(tablet.browser, 'terminal-presence', '已签到');
    pins = await printPins(browser, dataDir, 'e2e-audit-pins.pdf');
    await (await byTestId(browser, 'tab-voting')).click();
    await (await byTestId(browser, 'mode-terminal')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'terminal-round', '已投 0 /');

    await (await byTestId(tablet.browser, 'open-ballot', { timeout: 20000 })).click();
    marked = await mark(tablet.browser, (i) => CHOICES[i % 3]);
    const tracker = await review(tablet.browser);
    await screenshot(tablet.browser, 'audit-review-tablet-zh');
    await (await byTestId(tablet.browser, 'audit-ballot')).click();
    await waitForText(tablet.browser, 'audited', tracker, { timeout: 20000 });
    await screenshot(tablet.browser, 'audit-done-tablet-zh');
    // The member marks again: the sheet is back, nothing was cast.
    await byTestId(tablet.browser, 'review-ballot');
    await waitForText(browser, 'terminal-round', '已投 0 /');

    const shown = await checkInWindow(browser, tracker);
    assert.deepEqual(shown, marked, 'the window shows exactly what the member marked');
    await waitForText(browser, 'audited-check', WORDS.zh.against);
    await showCheck(browser);
    await screenshot(browser, 'audit-check-window-zh');

    // Then the member casts (a new ballot, another tracker): counted once.
    const again = await review(tablet.browser);
    assert.notEqual(again, tracker, 'the ballot after an audit is encrypted afresh');
    await (await byTestId(tablet.browser, 'cast-ballot')).click();
    await byTestId(tablet.browser, 'ballot-done', { timeout: 20000 });
    await waitForText(browser, 'terminal-round', '已投 1 /');
  });

  it('catches a terminal whose ballot code swaps 同意 and 不同意 (in English)', async () => {
    altered = await chromium({ width: 800, height: 1280 });
    const term = altered.browser;
    const who = Object.keys(links).find((k) => k.endsWith('（M08）'));
    await pair(term, links[who], who.replace('（M08）', ''));
    await (await byTestId(term, 'terminal-lang')).click();
    // The alteration a host could serve: the page hands its Workers 不同意 for
    // every 同意 and the reverse, while the screen shows the member's marks.
    await term.execute(() => {
      const post = Worker.prototype.postMessage;
      const swap = { for: 'against', against: 'for', abstain: 'abstain' };
      Worker.prototype.postMessage = function (m, ...rest) {
        return post.call(this, m && m.op === 'mark' ? { ...m, choice: swap[m.choice] } : m, ...rest);
      };
    });
    await (await byTestId(term, 'open-ballot', { timeout: 20000 })).click();
    const marks = await mark(term, (i) => (i % 2 ? 'for' : 'against'));
    const tracker = await review(term);
    await screenshot(term, 'audit-review-tablet-en');
    await (await byTestId(term, 'audit-ballot')).click();
    await waitForText(term, 'audited', tracker, { timeout: 20000 });
    await screenshot(term, 'audit-done-tablet-en');

    await (await byTestId(browser, 'lang-switch')).click();
    const shown = await checkInWindow(browser, tracker);
    const swapped = Object.fromEntries(Object.entries(marks).map(([c, ch]) => [c, ch === 'for' ? 'against' : 'for']));
    assert.deepEqual(shown, swapped, 'the check shows the swap: every line the other choice than marked');
    await waitForText(browser, 'audited-check', WORDS.en.against);
    await showCheck(browser);
    await screenshot(browser, 'audit-check-window-en');
    await (await byTestId(browser, 'lang-switch')).click();
  });

  it('counts only the cast ballot', async () => {
    await (await byTestId(browser, 'close-round')).click();
    // Most members have not voted: the window names them before the PIN.
    await waitForText(browser, 'confirm-message', '人未投票');
    await (await byTestId(browser, 'confirm-ok')).click();
    await chairPin(browser, pins[CHAIR]);
    await tallyRound(browser);
    await byTestId(browser, 'results');
    const rows = await browser.$$('[data-testid="round-results"][data-round="1"] [data-testid="result-row"]');
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const cells = await row.$$('td');
      const nums = [];
      for (const c of cells.slice(1, 4)) nums.push(Number(await c.getText()));
      assert.equal(nums.reduce((a, b) => a + b, 0), 1, `one ballot counted per candidate, the audited two never: ${nums}`);
    }
  });
});
