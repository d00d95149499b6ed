// Members' terminals: the real window starts the meeting-room network; real
// browsers (Chromium, and WebKit's MiniBrowser where installed) pair from the
// cards' links over TLS, sign in from the seat, read a candidate and a PDF,
// follow the chair, and vote in a terminal round; the host's count matches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerDialog, binary, byTestId, chairPin, createMeeting, freshDataDir, importFixtures, launch, nameTrustees, outDir,
  printPins, confirm, screenshot, startDriver, tallyRound, waitForText, CHAIR,
} from '../lib/app.mjs';
import { cardLinks, chromium, firefox, servedFingerprint, webkit } from '../lib/terminal.mjs';

const PORT = 20000 + Math.floor(Math.random() * 20000);
// M05 votes on Chromium, M06 on WebKit and M07 on Firefox; the others are signed in by the secretary.
const TERMINAL_MEMBERS = ['M05', 'M06', 'M07'];
const BY_SECRETARY = Array.from({ length: 18 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`).filter(
  (m) => !TERMINAL_MEMBERS.includes(m),
);

function meetingDb(dataDir) {
  const dir = join(dataDir, 'meetings');
  const [id] = readdirSync(dir);
  return join(dir, id, 'meeting.db');
}

/** Pairs a terminal from its card link, confirms, and signs in from the seat. */
async function pairAndSignIn(term, link, who, shots = null) {
  await term.url(link);
  await waitForText(term, 'terminal-paired', who);
  if (shots) await screenshot(term, shots);
  assert.equal(new URL(await term.getUrl()).hash, '', 'the token leaves the address bar');
  await (await byTestId(term, 'terminal-confirm-button')).click();
  await (await byTestId(term, 'terminal-signin')).click();
  await waitForText(term, 'terminal-presence', '已签到');
}

/** 开启会场网络 on loopback at PORT, from the window's network tab. */
async function startNetwork(browser) {
  await (await byTestId(browser, 'network-address')).selectByAttribute('value', '127.0.0.1');
  const port = await byTestId(browser, 'network-port');
  await port.clearValue();
  await port.setValue(String(PORT));
  await (await byTestId(browser, 'network-start')).click();
  await waitForText(browser, 'network-url', `https://127.0.0.1:${PORT}/t/`);
}

/** Marks every line `choice`, reviews, confirms; returns the tracker shown. */
async function vote(term, choice, shots = null, key = null) {
  await (await byTestId(term, 'open-ballot', { timeout: 20000 })).click();
  await byTestId(term, 'ballot');
  // The ballot shows the key it is encrypted under: the ceremony's.
  if (key) await waitForText(term, 'terminal-key', key);
  for (const line of await term.$$('[data-testid="ballot-line"]')) {
    await (await line.$(`[data-testid="choose-${choice}"]`)).click();
  }
  if (shots) await screenshot(term, `${shots}-ballot`);
  await (await byTestId(term, 'review-ballot')).click();
  if (shots) await screenshot(term, `${shots}-review`);
  await (await byTestId(term, 'cast-ballot')).click();
  await byTestId(term, 'ballot-done', { timeout: 20000 });
  // The chain head that includes this ballot, to compare with the projector's.
  assert.match(await (await byTestId(term, 'chain-head')).getText(), /^[0-9A-F]{4}-[0-9A-F]{4}$/);
  return (await byTestId(term, 'tracker')).getText();
}

describe('members vote on their own terminals', () => {
  const dataDir = freshDataDir('terminals');
  let driver;
  let browser;
  let tablet;
  let laptop;
  let fox;
  let links;
  let electionKey;
  let pins;
  const trackers = [];

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '终端表决测试会议');
    await importFixtures(browser, dataDir);
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    electionKey = await (await byTestId(browser, 'election-fingerprint')).getText();
    assert.match(electionKey, /^([0-9A-F]{4} ){7}[0-9A-F]{4}$/, 'the key ceremony shows the election key');
    execFileSync(binary, ['signin', '--meeting', meetingDb(dataDir), ...BY_SECRETARY]);
  });

  after(async () => {
    await tablet?.close();
    await laptop?.close();
    await fox?.close();
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('starts the meeting-room network and shows its address, QR code and fingerprint', async () => {
    await (await byTestId(browser, 'tab-network')).click();
    await startNetwork(browser);
    const shown = await (await byTestId(browser, 'network-fingerprint')).getText();
    assert.equal(servedFingerprint('127.0.0.1', PORT), shown, 'the browser is served the certificate the window shows');
    assert.ok(await (await byTestId(browser, 'network-qr')).$('svg').isExisting(), 'a QR code for the projector');
    // Large on the projector: the fingerprint's first 8 pairs; the QR says it pairs nothing.
    assert.equal(await (await byTestId(browser, 'network-fingerprint-start')).getText(), shown.split(':').slice(0, 8).join(':'));
    await waitForText(browser, 'network-qr-note', '不能配对');
    await screenshot(browser, 'network-zh');
  });

  it('prints a terminal card for every member', async () => {
    const cards = join(outDir, 'e2e-terminal-cards.pdf');
    answerDialog(dataDir, cards);
    await (await byTestId(browser, 'print-terminal-cards')).click();
    await waitForText(browser, 'cards-saved', cards);
    links = cardLinks(cards);
    assert.equal(Object.keys(links).length, 25, `25 cards: ${Object.keys(links)}`);
    // After the key ceremony each link carries the election key's fingerprint, as the window showed it.
    const k = electionKey.replaceAll(' ', '').toLowerCase();
    for (const link of Object.values(links)) assert.match(link, new RegExp(`^https://127\\.0\\.0\\.1:${PORT}/t/#[0-9a-f]{32}&k=${k}$`));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', cards, '-']).toString();
    const start = (await (await byTestId(browser, 'network-fingerprint-start')).getText()).trim();
    assert.ok(text.includes(start), `the cards print the fingerprint's start ${start}`);
    assert.match(text.replace(/\s+/g, ''), /继续前往/, "the browser's own words for going on");
    execFileSync('pdftoppm', ['-png', '-r', '90', '-f', '1', '-l', '1', cards, join(outDir, 'screenshots', 'terminal-cards')]);
  });

  it('pairs a Chromium tablet from its card and signs in from the seat', async () => {
    tablet = await chromium({ width: 800, height: 1280 });
    const who = Object.keys(links).find((k) => k.endsWith('（M05）'));
    await pairAndSignIn(tablet.browser, links[who], who.replace('（M05）', ''), 'terminal-confirm-tablet-zh');
    await screenshot(tablet.browser, 'terminal-agenda-tablet-zh');
    // The secretary's screen shows it.
    await browser.waitUntil(async () => {
      const row = await browser.$('[data-testid="terminal-row"][data-member="M05"]');
      const text = (await row.isExisting()) ? await row.getText() : '';
      return text.includes('已配对') && text.includes('已签到');
    }, { timeout: 15000, timeoutMsg: 'the window never showed M05 paired and signed in' });
  });

  it('reads a candidate and opens a PDF by ranges', async () => {
    const term = tablet.browser;
    await (await byTestId(term, 'to-agenda')).click();
    const open = await term.$$('[data-testid="open-candidate"]');
    await open[0].click();
    await byTestId(term, 'candidate-name');
    const pdf = await term.$('[data-testid="open-evidence"][data-mime="application/pdf"]');
    await pdf.waitForExist({ timeout: 15000 });
    await pdf.click();
    await term.waitUntil(
      async () => (await (await term.$('[data-testid="evidence-pane"]')).getAttribute('data-rendered-page')) === '1',
      { timeout: 20000, timeoutMsg: 'the first page never rendered on the terminal' },
    );
    await screenshot(term, 'terminal-pdf-tablet-zh');
    await (await byTestId(term, 'close-viewer')).click();
  });

  it('follows the candidate the chair presents', async () => {
    await (await byTestId(browser, 'tab-overview')).click();
    const rows = await browser.$$('[data-testid="open-candidate"]');
    await rows[2].click();
    const name = (await (await byTestId(browser, 'candidate-name')).getText()).split('（')[0];
    await (await byTestId(browser, 'present')).click();
    await waitForText(browser, 'present-name', name);
    const term = tablet.browser;
    // The member browsed away: 跟随主席 brings the chair's candidate back.
    await (await byTestId(term, 'follow-chair', { timeout: 15000 })).click();
    await waitForText(term, 'candidate-name', name, { timeout: 15000 });
    await (await byTestId(browser, 'present-exit')).click();
    await (await byTestId(browser, 'back')).click();
  });

  it('pairs a WebKit laptop (where MiniBrowser is installed)', async () => {
    laptop = await webkit();
    if (!laptop) return;
    const who = Object.keys(links).find((k) => k.endsWith('（M06）'));
    await pairAndSignIn(laptop.browser, links[who], who.replace('（M06）', ''));
    await screenshot(laptop.browser, 'terminal-agenda-laptop-zh');
  });

  it('pairs a Firefox laptop (where Firefox ESR and geckodriver are installed)', async () => {
    fox = await firefox();
    if (!fox) return;
    const who = Object.keys(links).find((k) => k.endsWith('（M07）'));
    // 不是我 first: the terminal unpairs itself, and the card pairs again.
    await fox.browser.url(links[who]);
    await waitForText(fox.browser, 'terminal-paired', who.replace('（M07）', ''));
    await (await byTestId(fox.browser, 'terminal-not-me')).click();
    await byTestId(fox.browser, 'terminal-unpaired');
    await waitForText(fox.browser, 'terminal-problem', '已解除配对');
    await pairAndSignIn(fox.browser, links[who], who.replace('（M07）', ''));
    await screenshot(fox.browser, 'terminal-agenda-firefox-zh');
  });

  it('opens a terminal round on the chair\'s PIN; each terminal votes and sees its tracker', async () => {
    pins = await printPins(browser, dataDir, 'e2e-terminal-pins.pdf');
    await (await byTestId(browser, 'tab-voting')).click();
    await (await byTestId(browser, 'mode-terminal')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'terminal-round', '已投 0 /');
    await screenshot(browser, 'terminal-round-host-zh');

    trackers.push(await vote(tablet.browser, 'for', 'terminal-tablet-zh', electionKey));
    await screenshot(tablet.browser, 'terminal-voted-tablet-zh');
    await waitForText(browser, 'terminal-round', '已投 1 /');
    if (laptop) {
      trackers.push(await vote(laptop.browser, 'against'));
      await screenshot(laptop.browser, 'terminal-voted-laptop-zh');
      await waitForText(browser, 'terminal-round', '已投 2 /');
    }
    if (fox) {
      trackers.push(await vote(fox.browser, 'abstain'));
      await screenshot(fox.browser, 'terminal-voted-firefox-zh');
      await waitForText(browser, 'terminal-round', `已投 ${laptop ? 3 : 2} /`);
    }
    for (const tr of trackers) assert.match(tr, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const notVoted = await (await byTestId(browser, 'not-voted')).getText();
    assert.ok(!notVoted.includes(Object.keys(links).find((k) => k.endsWith('（M05）')).split('（')[0]), 'M05 has voted');
    // The member's terminal keeps saying so after a reload.
    await tablet.browser.refresh();
    await byTestId(tablet.browser, 'terminal-voted', { timeout: 15000 });
  });

  it('refuses a ballot under a key other than the one on the card', async () => {
    // A card whose link carries another key (a host swapping the election
    // key would be caught the same way): the terminal shows no ballot.
    const who = Object.keys(links).find((k) => k.endsWith('（M08）'));
    const forged = links[who].replace(/&k=[0-9a-f]{32}$/, `&k=${'0'.repeat(32)}`);
    const other = await chromium({ width: 800, height: 1280 });
    try {
      // M08 was signed in by the secretary: pairing is all it takes.
      await other.browser.url(forged);
      await waitForText(other.browser, 'terminal-paired', who.replace('（M08）', ''));
      await (await byTestId(other.browser, 'terminal-confirm-button')).click();
      await (await byTestId(other.browser, 'open-ballot', { timeout: 20000 })).click();
      await waitForText(other.browser, 'terminal-problem', '请不要投票');
      assert.ok(!(await other.browser.$('[data-testid="ballot"]').isExisting()), 'no ballot to mark');
      await screenshot(other.browser, 'terminal-wrong-key-zh');
    } finally {
      await other.close();
    }
  });

  it('reconnects by itself when the meeting-room network stops and starts again', async () => {
    await (await byTestId(browser, 'tab-network')).click();
    await (await byTestId(browser, 'network-stop')).click();
    // Mid-round, stopping on purpose is asked (the terminals come back).
    await confirm(browser, '第 1 轮表决进行中');
    await byTestId(tablet.browser, 'terminal-offline', { timeout: 15000 });
    await screenshot(tablet.browser, 'terminal-offline-tablet-zh');
    await startNetwork(browser);
    await tablet.browser.waitUntil(async () => !(await tablet.browser.$('[data-testid="terminal-offline"]').isExisting()), {
      timeout: 15000,
      timeoutMsg: 'the terminal never reconnected',
    });
    await byTestId(tablet.browser, 'terminal-voted');
    await (await byTestId(browser, 'tab-voting')).click();
  });

  it('closes and counts: the host\'s count is the terminals\' ballots', async () => {
    await (await byTestId(browser, 'close-round')).click();
    // Not every member voted: the window names who has not, then asks the PIN.
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
      assert.deepEqual(nums, [1, laptop ? 1 : 0, fox ? 1 : 0], 'one for (Chromium), one against (WebKit), one abstain (Firefox)');
    }
    await (await byTestId(browser, 'trackers')).click();
    await (await byTestId(browser, 'tracker-lookup')).setValue(trackers[0]);
    await waitForText(browser, 'tracker-found', '已找到');
  });

  it('shows the terminal in English, tablet and laptop sized', async () => {
    const term = tablet.browser;
    await (await byTestId(term, 'terminal-lang')).click();
    await waitForText(term, 'terminal-presence', 'Signed in');
    await (await byTestId(term, 'to-agenda')).click();
    await screenshot(term, 'terminal-agenda-tablet-en');
    await (await term.$$('[data-testid="open-candidate"]'))[1].click();
    await byTestId(term, 'candidate-name');
    await screenshot(term, 'terminal-candidate-tablet-en');
    await term.setWindowSize(1366, 768);
    await (await byTestId(term, 'to-agenda')).click();
    await screenshot(term, 'terminal-agenda-laptop-en');
  });

  it('revokes a lost terminal from the window: it is paired no more', async () => {
    const term = laptop?.browser ?? tablet.browser;
    const member = laptop ? 'M06' : 'M05';
    await (await byTestId(browser, 'tab-network')).click();
    const row = await browser.$(`[data-testid="terminal-row"][data-member="${member}"]`);
    await (await row.$('[data-testid="revoke-terminal"]')).click();
    await confirm(browser, '其他委员的终端不受影响');
    await browser.waitUntil(async () => (await row.getText()).includes('已作废'), { timeout: 15000, timeoutMsg: 'not shown revoked' });
    await byTestId(term, 'terminal-unpaired', { timeout: 15000 });
    await screenshot(term, 'terminal-unpaired-zh');
    // Printing every card again while terminals are paired is asked once more;
    // cancelled, nothing is printed and the paired terminals go on.
    await (await byTestId(browser, 'print-terminal-cards')).click();
    await confirm(browser, '台终端立即断开', { ok: false, shot: 'cards-confirm-zh' });
    await byTestId(browser, 'print-terminal-cards');
    await byTestId(tablet.browser, 'terminal-presence');
  });
});
