// The meeting checklist (会议进程, issue 25) in the real window: each step's
// state follows the meeting, its button goes to the tab where it is done,
// and opening a round with no PIN slips printed says so in plain words
// before any PIN dialog.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  byTestId, createMeeting, importFixtures, freshDataDir, launch, screenshot, startDriver, waitForText,
  nameTrustees, printPins, chairPin, CHAIR, openedFile } from '../lib/app.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Waits until checklist step `key` is in `state` (and, given, says `why`). */
async function stepIs(browser, key, state, why = '') {
  await browser.waitUntil(
    async () => {
      const el = await browser.$(`[data-testid="step-${key}"]`);
      return (await el.isExisting()) && (await el.getAttribute('data-state')) === state && (await el.getText()).includes(why);
    },
    { timeout: 15000, timeoutMsg: `checklist step ${key} never became ${state} saying "${why}"` },
  );
}

/** The key of the highlighted step. */
async function nextStep(browser) {
  const el = await browser.$('[data-testid="checklist"] li[data-next="true"]');
  return (await el.isExisting()) ? (await el.getAttribute('data-testid')).replace('step-', '') : null;
}

describe('the meeting checklist', () => {
  const dataDir = freshDataDir('checklist');
  let driver;
  let browser;
  let pins = {};

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '会议进程测试');
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('starts at the roster, every later step blocked with why', async () => {
    await byTestId(browser, 'checklist');
    await stepIs(browser, 'roster', 'todo', '名单');
    await stepIs(browser, 'signin', 'blocked', '请先导入委员名单和材料包');
    assert.equal(await nextStep(browser), 'roster');
    assert.equal(await browser.$('[data-testid="step-network"]').isExisting(), false, 'no network step before terminals');
  });

  it('moves on to sign-in after the import, and its button opens the sign-in tab', async () => {
    await importFixtures(browser, dataDir);
    await stepIs(browser, 'roster', 'done');
    await stepIs(browser, 'dossiers', 'done');
    await stepIs(browser, 'signin', 'todo', '法定人数');
    await stepIs(browser, 'eligibility', 'done', '未通过资格审查');
    assert.equal(await nextStep(browser), 'signin');
    await (await browser.$('[data-testid="step-signin"] [data-testid="step-go"]')).click();
    await waitForText(browser, 'quorum', '出席 0 / 25');
    for (let i = 0; i < 20; i++) {
      const rows = await browser.$$('[data-testid="attendee"]');
      await (await rows[i].$('[data-testid="toggle-presence"]')).click();
      await waitForText(browser, 'quorum', `出席 ${i + 1} / 25`);
    }
    await stepIs(browser, 'signin', 'done');
    await stepIs(browser, 'pins', 'todo', '等 20 人还没有个人密码');
    assert.equal(await nextStep(browser), 'recusals');
  });

  it('says no PIN slips were printed before any PIN dialog opens', async () => {
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    await stepIs(browser, 'ceremony', 'done');
    await stepIs(browser, 'rounds', 'blocked', '还没有发放投票密码');
    await (await byTestId(browser, 'open-round-button')).click();
    await waitForText(browser, 'open-refusal', '还没有发放投票密码：请先打印投票密码条');
    assert.equal(await browser.$('[data-testid="chair-pin"]').isExisting(), false, 'no PIN dialog');
    assert.ok(!(await (await byTestId(browser, 'open-refusal')).getText()).includes('个人密码不正确'), 'not a wrong PIN');
    await screenshot(browser, 'open-refusal-no-pins-zh');
  });

  it('marks the PINs and recusals done, then the round is next; zh and en', async () => {
    pins = await printPins(browser, dataDir, 'e2e-checklist-pins.pdf');
    await stepIs(browser, 'pins', 'done');
    await (await browser.$('[data-testid="step-recusals"] [data-testid="step-go"]')).click();
    await (await byTestId(browser, 'propose-recusals')).click();
    await stepIs(browser, 'recusals', 'todo', '回避待确认');
    await (await byTestId(browser, 'dismiss-all-recusals')).click();
    await (await byTestId(browser, 'decide-all-yes')).click();
    await stepIs(browser, 'recusals', 'done');
    await stepIs(browser, 'rounds', 'todo', '名申报人未表决');
    assert.equal(await nextStep(browser), 'rounds');
    await (await browser.$('[data-testid="step-rounds"] [data-testid="step-go"]')).click();
    await byTestId(browser, 'new-round');
    await screenshot(browser, 'checklist-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await stepIs(browser, 'rounds', 'todo', 'candidates still to vote on');
    await waitForText(browser, 'checklist', 'Meeting progress');
    // Every reason in English, none left over from before the switch.
    await stepIs(browser, 'eligibility', 'done', 'did not pass the eligibility check');
    await screenshot(browser, 'checklist-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'checklist', '会议进程');
  });

  it("names whose PIN opens the round, and follows the terminal round it opens", async () => {
    await (await byTestId(browser, 'mode-terminal')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await waitForText(browser, 'chair-pin-hint', `请主任委员 ${CHAIR} 输入个人密码`);
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'terminal-round', '已投 0 /');
    await stepIs(browser, 'rounds', 'todo', '第 1 轮表决进行中');
    await stepIs(browser, 'network', 'todo', '还没有打印终端卡');
    await stepIs(browser, 'results', 'blocked', '还没有结束的表决');
    await screenshot(browser, 'checklist-round-open-zh');
  });

  it('keeps the station a kiosk in a terminal round, and warns with names before closing', async () => {
    // No inline ballot in the secretary's window: the station is the kiosk.
    assert.equal(await browser.$('[data-testid="station"]').isExisting(), false, 'no station in the admin window');
    await (await byTestId(browser, 'station-kiosk')).click();
    await byTestId(browser, 'kiosk');
    await (await byTestId(browser, 'close-round')).click();
    // Nobody has voted: the warning names who has not, before any PIN.
    await waitForText(browser, 'confirm', '人未投票');
    assert.equal(await browser.$('[data-testid="chair-pin"]').isExisting(), false, 'no PIN asked yet');
    await screenshot(browser, 'kiosk-close-warning-zh');
    await (await byTestId(browser, 'confirm-cancel')).click();
    await (await byTestId(browser, 'leave-kiosk')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'terminal-round', '已投 0 /');
    assert.equal(await browser.$('[data-testid="kiosk"]').isExisting(), false, 'the kiosk is left');
  });

  it('prints through the system viewer: the sign-in sheet opens as a PDF, ready to print', async () => {
    await (await byTestId(browser, 'tab-documents')).click();
    await (await byTestId(browser, 'system-print-sign_in')).click();
    await waitForText(browser, 'document-saved', 'PDF 阅读器');
    const opened = readFileSync(openedFile(dataDir), 'utf8').trim().split('\n').at(-1);
    assert.ok(opened.startsWith(dataDir) && opened.includes('prints') && existsSync(opened), `opened ${opened}`);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', opened, '-']).toString();
    assert.match(text, /签到/);
    // PIN slips and terminal cards carry secrets: saved only where the user chooses.
    assert.equal(await browser.$('[data-testid="system-print-pins"]').isExisting(), false);
    assert.equal(await browser.$('[data-testid="system-print-terminal_cards"]').isExisting(), false);
  });

  it('has a large-text switch that scales every text', async () => {
    const size = () => browser.execute(() => getComputedStyle(document.documentElement).fontSize);
    assert.equal(await size(), '15px');
    await (await byTestId(browser, 'large-text')).click();
    await browser.waitUntil(async () => (await size()) === '19px', { timeoutMsg: 'large text never applied' });
    await screenshot(browser, 'large-text-zh');
    await (await byTestId(browser, 'large-text')).click();
    await browser.waitUntil(async () => (await size()) === '15px', { timeoutMsg: 'normal text never came back' });
  });
});
