// A whole meeting in the real window, on the fixtures with the 25-member
// roster: sign-in of 20, one recusal, one station-mode round over all 8
// candidates, the count, and the results confirmed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  answerDialog, binary, byTestId, createMeeting, importFixtures, fixtures, freshDataDir, launch, outDir, screenshot, startDriver, waitForText,
  nameTrustees, tallyRound, trustees, chairPassphrase, typeText, printPins, chairPin, confirm, CHAIR, SECRETARY_PIN } from '../lib/app.mjs';

const CHOICES = ['for', 'for', 'for', 'against', 'abstain'];
// Even-placed candidates get 16 of 20 for (they pass), odd ones 12 (they fail).
const choiceOf = (voter, ci) =>
  ci % 2 === 0 ? (voter % 10 < 8 ? 'for' : voter % 10 === 8 ? 'against' : 'abstain') : CHOICES[(voter + ci) % CHOICES.length];

const OVERRIDE_REASON = '经主任委员会议研究，同意提交表决';

describe('a whole meeting', () => {
  const dataDir = freshDataDir('meeting');
  let driver;
  let browser;
  const expected = {};
  const trackers = [];
  let pins = {};

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '全流程测试会议');
    await importFixtures(browser, dataDir);
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('signs in 20 of 25 members and shows the quorum live', async () => {
    await (await byTestId(browser, 'tab-signin')).click();
    await waitForText(browser, 'quorum', '出席 0 / 25');
    for (let i = 0; i < 20; i++) {
      const rows = await browser.$$('[data-testid="attendee"]');
      await (await rows[i].$('[data-testid="toggle-presence"]')).click();
      await waitForText(browser, 'quorum', `出席 ${i + 1} / 25`);
    }
    await waitForText(browser, 'quorum', '已达到法定人数');
    // Sign-in times are local, 24-hour, whatever the OS locale.
    const since = await browser.$$('[data-testid="attendee"][data-present="true"] td.muted').map((c) => c.getText());
    assert.ok(since.length === 20 && since.every((s) => /^\d{2}:\d{2}$/.test(s)), `HH:MM: ${since}`);
    await screenshot(browser, 'signin-zh');
  });

  it('prints the PIN slips: the chair authorises the chair\'s acts with theirs', async () => {
    pins = await printPins(browser, dataDir, 'e2e-pins-first.pdf');
    assert.equal(Object.keys(pins).length, 20, 'a slip for each member present');
    assert.ok(pins[CHAIR], 'the chair is present and has a PIN');
  });

  it('records one recusal', async () => {
    await (await byTestId(browser, 'tab-recusals')).click();
    await (await byTestId(browser, 'propose-recusals')).click();
    // Not one of the chair's own: the chair presides over the whole round.
    const first = await browser.$('[data-testid="recusal"][data-status="proposed"]:not([data-member="M01"])');
    await first.waitForDisplayed();
    const member = await first.getAttribute('data-member');
    const candidate = await first.getAttribute('data-candidate');
    await (await first.$('[data-testid="confirm-recusal"]')).click();
    await browser.waitUntil(async () =>
      (await browser.$(`[data-testid="recusal"][data-member="${member}"][data-candidate="${candidate}"]`).getAttribute('data-status')) === 'confirmed');
    await screenshot(browser, 'recusals-zh');
  });

  it('names the trustees before the first round', async () => {
    await (await byTestId(browser, 'tab-voting')).click();
    await byTestId(browser, 'trustees-setup');
    await screenshot(browser, 'trustees-zh');
    await nameTrustees(browser);
  });

  it('opens no round while proposed recusals are undecided; one click decides the rest', async () => {
    // Said before any PIN is asked for.
    await (await byTestId(browser, 'open-round-button')).click();
    await waitForText(browser, 'open-refusal', '项回避待确认');
    assert.equal(await browser.$('[data-testid="chair-pin"]').isExisting(), false, 'no PIN dialog');
    await screenshot(browser, 'recusal-gate-zh');
    assert.equal(await browser.$('[data-testid="round-progress"]').isExisting(), false, 'no round opened');
    await (await byTestId(browser, 'tab-recusals')).click();
    await waitForText(browser, 'recusals-pending', '项待确认');
    await (await byTestId(browser, 'dismiss-all-recusals')).click();
    await waitForText(browser, 'decide-all', '标记为不需回避');
    await screenshot(browser, 'recusal-decide-all-zh');
    await (await byTestId(browser, 'decide-all-yes')).click();
    await waitForText(browser, 'recusal-note', '标记为不需回避');
    // The note shows as soon as the core answers; the list follows when the
    // session is read again.
    await browser.waitUntil(async () => !(await browser.$('[data-testid="recusal"][data-status="proposed"]').isExisting()), {
      timeout: 15000,
      timeoutMsg: 'proposed recusals still listed after deciding them all',
    });
    assert.equal((await browser.$$('[data-testid="recusal"][data-status="confirmed"]')).length, 1, 'the confirmed one stays');
    await (await byTestId(browser, 'tab-voting')).click();
  });

  it("leaves the barred candidates out, with why; the chair's override puts one to the vote", async () => {
    await waitForText(browser, 'barred', '不予表决');
    await waitForText(browser, 'barred', '品德考核不合格');
    assert.equal((await browser.$$('[data-testid="barred-candidate"]')).length, 3, '0004, 0006 and 0007 in a senior committee');
    await screenshot(browser, 'eligibility-zh');
    const row = await browser.$('[data-testid="barred-candidate"][data-candidate="GX2025-0006"]');
    await (await row.$('[data-testid="override"]')).click();
    await (await row.$('[data-testid="override-reason"]')).setValue(OVERRIDE_REASON);
    await (await row.$('[data-testid="override-submit"]')).click();
    await chairPin(browser, pins[CHAIR]);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="barred-candidate"]')).length === 2,
      { timeoutMsg: 'the override took GX2025-0006 off the barred list' });
    await waitForText(browser, 'new-round', 'GX2025-0006');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'barred', 'Not voted on');
    await screenshot(browser, 'eligibility-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'barred', '不予表决');
  });

  it("opens the round only on the chair's PIN", async () => {
    // The dialog in English first (the backdrop covers the language switch).
    await (await byTestId(browser, 'lang-switch')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await waitForText(browser, 'chair-pin', "the chair's authorisation");
    await screenshot(browser, 'chair-pin-en');
    await (await byTestId(browser, 'chair-pin-cancel')).click();
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'new-round', '开始新一轮表决');
    await (await byTestId(browser, 'open-round-button')).click();
    const member = Object.entries(pins).find(([name]) => !['李鹏伟', '郭刚宇', '石杰宇'].includes(name));
    await chairPin(browser, member[1]);
    await waitForText(browser, 'chair-pin', '不是主任委员');
    await screenshot(browser, 'chair-pin-zh');
    assert.equal(await browser.$('[data-testid="round-progress"]').isExisting(), false, 'no round opened');
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'round-progress', '已投票 0 /');
    assert.equal(await browser.$('[data-testid="chair-pin"]').isExisting(), false, 'the dialog closes');
  });

  /** Marks one ballot by `choiceOf`, casts it, and returns whether the round closed. */
  async function markAndCast(voter) {
    await byTestId(browser, 'ballot');
    const lines = await browser.$$('[data-testid="ballot-line"]');
    for (const [ci, line] of lines.entries()) {
      const candidate = await line.getAttribute('data-candidate');
      const choice = choiceOf(voter, ci);
      await (await line.$(`[data-testid="choose-${choice}"]`)).click();
      expected[candidate] ??= { for: 0, against: 0, abstain: 0 };
      expected[candidate][choice] += 1;
    }
    if (voter === 0) await screenshot(browser, 'ballot-zh');
    await (await byTestId(browser, 'review-ballot')).click();
    await (await byTestId(browser, 'cast-ballot')).click();
    await byTestId(browser, 'ballot-done');
    const tracker = await (await byTestId(browser, 'tracker')).getText();
    assert.match(tracker, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'the voter sees a tracker');
    trackers.push(tracker);
    if (voter === 0) await screenshot(browser, 'ballot-done-zh');
    const closed = await browser.$('[data-testid="round-over"]').isExisting();
    await (await byTestId(browser, 'next-voter')).click();
    return closed;
  }

  /** The secretary unlocks the station for the first member not yet voted. */
  async function unlockBySecretary(pin = SECRETARY_PIN) {
    const details = await byTestId(browser, 'by-secretary');
    if ((await details.getAttribute('open')) === null) await (await details.$('summary')).click();
    const select = await byTestId(browser, 'station-member');
    const values = [];
    for (const o of await select.$$('option:not([disabled])')) values.push(await o.getAttribute('value'));
    await select.selectByAttribute('value', values.find((v) => v));
    await typeText(browser, 'secretary-pin', pin);
    await (await byTestId(browser, 'unlock')).click();
  }

  it('shows the station as a kiosk: nothing but the ballot until the chair lets the operator out', async () => {
    await byTestId(browser, 'kiosk');
    await waitForText(browser, 'round-progress', '已投票 0 /');
    assert.equal(await browser.$('[data-testid="tabs"]').isExisting(), false, 'no tabs behind the ballot');
    assert.equal(await browser.$('[data-testid="back"]').isExisting(), false, 'no way back to the meeting list');
    await screenshot(browser, 'kiosk-zh');
    // A wrong PIN and a wrong secretary's PIN unlock nothing.
    await typeText(browser, 'station-pin', '000000');
    await (await byTestId(browser, 'unlock-pin')).click();
    await waitForText(browser, 'error-message', '个人密码不正确');
    await unlockBySecretary('99999999');
    await waitForText(browser, 'error-message', '秘书密码不正确');
    assert.equal(await browser.$('[data-testid="ballot"]').isExisting(), false);
    // Leaving takes the chair's PIN: a member's is refused.
    await (await byTestId(browser, 'leave-kiosk')).click();
    const member = Object.entries(pins).find(([name]) => !['李鹏伟', '郭刚宇', '石杰宇'].includes(name));
    await chairPin(browser, member[1]);
    await waitForText(browser, 'chair-pin', '不是主任委员');
    await chairPin(browser, pins[CHAIR]);
    await byTestId(browser, 'enter-kiosk');
    await waitForText(browser, 'round-progress', '已投票 0 /');
    // The kiosk speaks the language chosen before it: English here.
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'enter-kiosk', 'Back to the station');
    await (await byTestId(browser, 'enter-kiosk')).click();
    await byTestId(browser, 'kiosk');
    await waitForText(browser, 'kiosk', '0 of');
    await waitForText(browser, 'leave-kiosk', 'Leave the station');
    await screenshot(browser, 'kiosk-en');
    await (await byTestId(browser, 'leave-kiosk')).click();
    await chairPin(browser, pins[CHAIR]);
    await byTestId(browser, 'enter-kiosk');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'enter-kiosk', '回到投票台');
    await (await byTestId(browser, 'enter-kiosk')).click();
    await byTestId(browser, 'kiosk');
    await waitForText(browser, 'round-progress', '已投票 0 /');
  });

  it('runs a station-mode round for the candidates put to the vote', async () => {
    await waitForText(browser, 'round-progress', '已投票 0 /');
    // The chair unlocks their own ballot with their PIN; the secretary
    // unlocks the others' with the secretary's PIN.
    await typeText(browser, 'station-pin', pins[CHAIR]);
    await (await byTestId(browser, 'unlock-pin')).click();
    await waitForText(browser, 'ballot-title', `${CHAIR} 的选票`);
    let voter = 0;
    let closed = await markAndCast(voter);
    voter += 1;
    while (!closed) {
      await waitForText(browser, 'round-progress', `已投票 ${voter} /`);
      await unlockBySecretary();
      closed = await markAndCast(voter);
      voter += 1;
    }
    assert.equal(voter, 20, 'each of the 20 present members voted once');
    // The kiosk ends with the round.
    await byTestId(browser, 'tabs');
  });

  it('counts only when two trustees type their passphrases', async () => {
    await byTestId(browser, 'tally');
    assert.equal(await browser.$('[data-testid="result-row"]').isExisting(), false, 'no count before the tally');
    await tallyRound(browser, [trustees[0], [trustees[2][0], 'wrong-passphrase']]);
    await waitForText(browser, 'error-message', '监票人乙 的口令不正确');
    await screenshot(browser, 'tally-zh');
    await tallyRound(browser);
    await byTestId(browser, 'results');
    // A member finds their tracker in the round's list.
    await (await byTestId(browser, 'trackers')).click();
    await (await byTestId(browser, 'tracker-lookup')).setValue(trackers[3]);
    await waitForText(browser, 'tracker-found', '已找到');
    await (await byTestId(browser, 'tracker-lookup')).setValue('0000-0000');
    await waitForText(browser, 'tracker-found', '没有这个核验码');
  });

  it('shows the count with its arithmetic and confirms it', async () => {
    await byTestId(browser, 'results');
    const rows = await browser.$$('[data-testid="round-results"][data-round="1"] [data-testid="result-row"]');
    assert.equal(rows.length, 6, 'the 5 eligible and the one the chair put to the vote');
    const counted = [];
    for (const r of rows) counted.push(await r.getAttribute('data-candidate'));
    assert.ok(counted.includes('GX2025-0006') && !counted.includes('GX2025-0004') && !counted.includes('GX2025-0007'));
    for (const row of rows) {
      const candidate = await row.getAttribute('data-candidate');
      const cells = await row.$$('td');
      const nums = [];
      for (const c of cells.slice(1, 4)) nums.push(Number(await c.getText()));
      const e = expected[candidate];
      assert.deepEqual(nums, [e.for, e.against, e.abstain], `count of ${candidate}`);
      const passed = (await row.getAttribute('data-passed')) === 'true';
      assert.equal(passed, e.for >= 14, `⌈2/3 × 20⌉ = 14 decides ${candidate}`);
      assert.match(await (await row.$('[data-testid="arithmetic"]')).getText(), /⌈2\/3 × 20⌉ = 14/);
    }
    const outcomes = new Set(await browser.$$('[data-testid="result-row"]').map((r) => r.getAttribute('data-passed')));
    assert.deepEqual([...outcomes].sort(), ['false', 'true'], 'the fixture round has passes and failures');
    await (await byTestId(browser, 'confirm-round')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'round-results', '结果已确认');
    await waitForText(browser, 'round-confirmed', `，${CHAIR}）`);
    await screenshot(browser, 'results-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'round-results', 'Results confirmed');
    await screenshot(browser, 'results-en');
    await (await byTestId(browser, 'lang-switch')).click();
  });

  it('shows the results on the projector: a bar per candidate, the outcome in words, no voter', async () => {
    // After the count, the next step leads on (no round ticked for a re-vote).
    await waitForText(browser, 'next-step-text', '打印结果表和会议纪要');
    assert.equal(await browser.$('[data-testid="new-round"]').isExisting(), false, 'no re-vote panel unasked');
    await (await browser.$('[data-testid="round-results"][data-round="1"] [data-testid="results-screen-open"]')).click();
    const screen = await byTestId(browser, 'results-screen');
    const rows = await screen.$$('[data-testid="screen-row"]');
    assert.equal(rows.length, 6);
    for (const row of rows) {
      const candidate = await row.getAttribute('data-candidate');
      const e = expected[candidate];
      assert.equal((await row.getAttribute('data-passed')) === 'true', e.for >= 14, `outcome of ${candidate}`);
      assert.match(await row.getText(), e.for >= 14 ? /通过/ : /未通过/);
      assert.match(await row.getText(), new RegExp(`同意 ${e.for} · 不同意 ${e.against} · 弃权 ${e.abstain}`));
    }
    // Counts only: no tracker, no member's name on the projector.
    const text = await screen.getText();
    assert.doesNotMatch(text, /[0-9A-Z]{4}-[0-9A-Z]{4}/, 'no tracker');
    assert.ok(!text.includes(CHAIR), 'no member named');
    await screenshot(browser, 'results-projector-zh');
    await (await byTestId(browser, 'results-screen-close')).click();
    await browser.waitUntil(async () => !(await browser.$('[data-testid="results-screen"]').isExisting()),
      { timeoutMsg: 'the projector view stayed' });
  });

  it('prints the sealed results sheet where the secretary chooses, and it verifies', async () => {
    const out = join(outDir, 'results-round-1.pdf');
    rmSync(out, { force: true });
    answerDialog(dataDir, out);
    await (await byTestId(browser, 'print-results')).click();
    // The meeting key is wrapped under the chair's passphrase: a scrutineer's
    // is refused in the dialog, which stays open; the chair's seals.
    await chairPassphrase(browser, trustees[2][1]);
    await waitForText(browser, 'chair-passphrase', '口令不正确');
    await screenshot(browser, 'chair-passphrase-zh');
    assert.equal(existsSync(out), false, 'nothing printed with a wrong passphrase');
    await chairPassphrase(browser);
    await waitForText(browser, 'print-saved', out);
    assert.equal(await browser.$('[data-testid="chair-passphrase"]').isExisting(), false, 'the dialog closes');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', out, '-']).toString();
    assert.match(text, /评审结果表决统计表/);
    for (const [candidate, e] of Object.entries(expected)) {
      const line = text.split('\n').find((l) => l.includes(candidate));
      assert.ok(line, `${candidate} is on the sheet`);
      assert.ok(line.includes(` ${e.for} `) && line.includes(` ${e.against} `), `${candidate}: ${line}`);
    }
    execFileSync(binary, ['verify', out]); // throws unless exit 0
  });

  it('signs a member out and records when', async () => {
    await (await byTestId(browser, 'tab-signin')).click();
    // A member, not the chair or a vice chair (M01–M03).
    const row = await browser.$('[data-testid="attendee"][data-present="true"][data-id="M04"]');
    await (await row.$('[data-testid="toggle-presence"]')).click();
    await confirm(browser, '离席时间将记入会议记录');
    await waitForText(browser, 'quorum', '出席 19 / 25');
    await waitForText(browser, 'attendance', '已离场');
  });

  it('re-votes one candidate on paper: ballots, two entries that must agree, the count', async () => {
    // The scrutineers confirm their entries with their own PINs: fresh slips
    // (the first ones were seen at the station) for the 19 still present.
    pins = await printPins(browser, dataDir, 'e2e-pins.pdf');
    const others = Object.entries(pins).filter(([name]) => name !== CHAIR);
    assert.ok(others.length >= 2, 'PIN slips for the members present');
    const [[nameA, pinA], [, pinB]] = others;
    await (await byTestId(browser, 'tab-voting')).click();
    // After a count the results come first; a further round only on request, nothing ticked.
    await waitForText(browser, 'next-step', '下一步');
    await (await byTestId(browser, 'revote')).click();
    assert.equal(await browser.$('[data-testid="new-round"] .pick input[type="checkbox"]:checked').isExisting(), false, 'nothing pre-ticked');
    const box = await browser.$('[data-testid="new-round"] .pick input[type="checkbox"]');
    await box.click();
    await (await browser.$('[data-testid="new-round"] .reason input')).setValue('复议');
    await (await byTestId(browser, 'mode-paper')).click();
    await screenshot(browser, 'paper-open-zh');
    await (await byTestId(browser, 'open-round-button')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'paper-round', '发出选票 19 张');

    const ballots = join(outDir, 'ballots-round-2.pdf');
    answerDialog(dataDir, ballots);
    await (await byTestId(browser, 'print-ballots')).click();
    await waitForText(browser, 'ballots-saved', ballots);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', ballots, '-']).toString();
    assert.match(text, /选票编号：2-019/);
    assert.doesNotMatch(text, /2-020/);

    const enter = async (entry, who, counts) => {
      await (await byTestId(browser, `paper-enter-${entry}`)).click();
      const form = await byTestId(browser, 'paper-form');
      await (await form.$('[data-testid="paper-scrutineer-pin"]')).setValue(who);
      const line = await form.$('[data-testid="paper-line"]');
      for (const [k, v] of Object.entries(counts)) {
        const input = await line.$(`[data-testid="paper-${k}"]`);
        await input.clearValue();
        await input.setValue(String(v));
      }
      await (await byTestId(browser, 'paper-submit')).click();
    };
    // More than the 19 ballots: refused, nothing recorded.
    await enter(1, pinA, { for: 15, against: 4, abstain: 1 });
    await waitForText(browser, 'error-message', '超过可投票数');
    await (await byTestId(browser, 'paper-cancel')).click();
    await enter(1, pinA, { for: 15, against: 3, abstain: 1 });
    await waitForText(browser, 'paper-entry-status', `${nameA}（`);
    await enter(2, pinB, { for: 14, against: 4, abstain: 1 });
    await byTestId(browser, 'paper-mismatch');
    await screenshot(browser, 'paper-mismatch-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'paper-mismatch', 'The two entries differ');
    await screenshot(browser, 'paper-mismatch-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'paper-mismatch', '两次录入不一致');
    await enter(2, pinB, { for: 15, against: 3, abstain: 1 });
    const result = await browser.$('[data-testid="round-results"][data-round="2"]');
    await result.waitForExist({ timeout: 15000 });
    const cells = await (await result.$('[data-testid="result-row"]')).$$('td');
    const nums = [];
    for (const c of cells.slice(1, 7)) nums.push(Number(await c.getText()));
    assert.deepEqual(nums, [15, 3, 1, 0, 19, 13], 'for, against, abstain, not voted, eligible, ⌈2/3 × 19⌉');
    await screenshot(browser, 'paper-results-zh');
    await (await result.$('[data-testid="confirm-round"]')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'round-results', '结果已确认');
  });

  it('prints the minutes, the 公示 list and the sign-in sheet, and they verify in the app', async () => {
    await (await byTestId(browser, 'tab-documents')).click();
    const docs = {};
    // The 公示 period starts inside the 2025 National Day holiday: five
    // working days end on 2025-10-14 by the official calendar.
    await typeText(browser, 'period-start', '2025-10-01');
    for (const doc of ['sign_in', 'minutes', 'publicity']) {
      const out = join(outDir, `e2e-${doc}.pdf`);
      answerDialog(dataDir, out);
      await (await byTestId(browser, `print-${doc}`)).click();
      if (doc !== 'sign_in') await chairPassphrase(browser);
      await waitForText(browser, 'document-saved', out);
      docs[doc] = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', join(outDir, `e2e-${doc}.pdf`), '-']).toString();
    }
    await screenshot(browser, 'documents-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'documents', 'Meeting documents');
    await screenshot(browser, 'documents-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'documents', '会议文件');
    assert.match(docs.sign_in, /本人签字/);
    assert.match(docs.minutes, /评审会议记录/);
    assert.match(docs.minutes, /离席/);
    assert.match(docs.minutes, /资格审查/);
    assert.ok(docs.minutes.replace(/\s+/g, '').includes(OVERRIDE_REASON), 'the override and its reason are minuted');
    assert.ok(docs.minutes.replace(/\s+/g, '').includes(`确认人：${CHAIR}`), 'the minutes say who confirmed');
    assert.match(docs.minutes, /纸质选票/);
    assert.match(docs.minutes.replace(/\s+/g, ''), /重新表决原因：复议/);
    assert.doesNotMatch(docs.publicity, /同意|不同意|弃权/);
    assert.match(docs.publicity.replace(/\s+/g, ''), /公示期：2025-10-01至2025-10-14（5个工作日）/);

    await (await byTestId(browser, 'back')).click();
    answerDialog(dataDir, join(outDir, 'e2e-minutes.pdf'));
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '真实且未被改动');
    await waitForText(browser, 'verdict-summary', '会议记录');
    await screenshot(browser, 'verify-ok-zh');
    // Compared with a fingerprint that is not the meeting's: not authentic.
    await typeText(browser, 'verify-key', '0000 0000 0000 0000 0000 0000 0000 0000');
    answerDialog(dataDir, join(outDir, 'e2e-minutes.pdf'));
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '核验未通过');
    await waitForText(browser, 'verdict-problems', '不是指定的会议公钥');
    await screenshot(browser, 'verify-wrong-key-zh');
    // The fingerprint the minutes print: authentic again.
    const fingerprint = JSON.parse(execFileSync(binary, ['verify', '--json', join(outDir, 'e2e-minutes.pdf')]).toString())
      .key_fingerprint;
    assert.match(fingerprint, /^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
    assert.ok(docs.minutes.replace(/\s+/g, '').includes(fingerprint.replace(/ /g, '')), 'the minutes print the fingerprint');
    await typeText(browser, 'verify-key', fingerprint);
    answerDialog(dataDir, join(outDir, 'e2e-minutes.pdf'));
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '真实且未被改动');
    await typeText(browser, 'verify-key', '');
    // One digit of the embedded seal changed.
    const changed = join(outDir, 'e2e-minutes-changed.pdf');
    const bytes = readFileSync(join(outDir, 'e2e-minutes.pdf'));
    // The keywords (UTF-16BE hex) show "conclave-seal-v1,CODE": change one
    // character of the code a viewer shows.
    const start = bytes.indexOf('/Keywords<FEFF') + '/Keywords<FEFF'.length;
    assert.ok(start > 100, 'the seal is in the file');
    const at = start + 17 * 4 + 3; // the last hex digit of the code's first character
    const digit = parseInt(String.fromCharCode(bytes[at]), 16) ^ 1;
    bytes[at] = digit.toString(16).toUpperCase().charCodeAt(0);
    writeFileSync(changed, bytes);
    answerDialog(dataDir, changed);
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '核验未通过');
    await waitForText(browser, 'verdict', '签章之后文件被改动');
    await screenshot(browser, 'verify-bad-zh');
    // A 150-dpi picture of the minutes' first page, checked by its QR code.
    const photo = join(outDir, 'e2e-minutes-page1');
    const render = spawnSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile',
      join(outDir, 'e2e-minutes.pdf'), photo]);
    assert.equal(render.status, 0, render.stderr.toString());
    answerDialog(dataDir, `${photo}.png`);
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict-summary', '页面二维码真实', { timeout: 60000 });
    await waitForText(browser, 'verdict-summary', '本页应有以下各行');
    // A photo proves the page's data, not the paper: the heading says so.
    await waitForText(browser, 'verdict', '页面数据真实');
    await screenshot(browser, 'verify-scan-zh');
  });

  it('exports the archive, which verifies and opens read-only', async () => {
    await (await byTestId(browser, 'open-meeting')).click();
    await (await byTestId(browser, 'tab-documents')).click();
    const archive = join(outDir, 'e2e-archive.zip');
    answerDialog(dataDir, archive);
    await (await byTestId(browser, 'export-archive')).click();
    await chairPassphrase(browser);
    await waitForText(browser, 'document-saved', archive, { timeout: 60000 });
    const cli = spawnSync(binary, ['verify', archive]);
    assert.equal(cli.status, 0, cli.stdout.toString());

    // The auditor's verifier, saved on its own: the very page every archive holds.
    const verifier = join(outDir, 'e2e-verifier.html');
    answerDialog(dataDir, verifier);
    await (await byTestId(browser, 'export-verifier')).click();
    await waitForText(browser, 'document-saved', verifier);
    const inArchive = execFileSync('unzip', ['-p', archive, 'verifier.html']);
    assert.ok(readFileSync(verifier).equals(inArchive), 'the saved verifier is the archive\'s copy');

    await (await byTestId(browser, 'back')).click();
    answerDialog(dataDir, archive);
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '归档真实且完整');
    const broken = join(outDir, 'e2e-archive-broken.zip');
    copyFileSync(archive, broken);
    const zipBytes = readFileSync(broken);
    const at = zipBytes.indexOf('%PDF-'); // the first stored evidence file
    zipBytes[at + 200] ^= 1;
    writeFileSync(broken, zipBytes);
    answerDialog(dataDir, broken);
    await (await byTestId(browser, 'verify-file')).click();
    await waitForText(browser, 'verdict', '核验未通过');
    await waitForText(browser, 'verdict-problems', '被改动过');

    answerDialog(dataDir, archive);
    await (await byTestId(browser, 'open-archive')).click();
    await waitForText(browser, 'read-only', '只读', { timeout: 60000 });
    await waitForText(browser, 'candidates', '8');
    assert.equal(await browser.$('[data-testid="import-zip"]').isExisting(), false, 'no import into an archive');
    await (await byTestId(browser, 'tab-voting')).click();
    await byTestId(browser, 'results');
    assert.equal(await browser.$('[data-testid="new-round"]').isExisting(), false, 'no new round');
    await screenshot(browser, 'archive-read-only-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'read-only', 'read-only');
    await (await byTestId(browser, 'tab-signin')).click();
    await screenshot(browser, 'archive-read-only-signin-en');
    assert.equal(await (await browser.$('[data-testid="toggle-presence"]')).isEnabled(), false, 'sign-in is disabled');
    await (await byTestId(browser, 'lang-switch')).click();
  });
});
