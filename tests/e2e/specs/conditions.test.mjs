// The application conditions (申报条件) in the real window: the fixtures
// plus a candidate short of years. The candidate list and page show the
// numbers, the voting tab bars the candidate with why, and the chair's
// override (on the chair's PIN) puts them to the vote. Screenshots zh + en.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  answerDialog, byTestId, createMeeting, importFixtures, freshDataDir, launch, screenshot, startDriver, waitForText,
  nameTrustees, printPins, chairPin, CHAIR } from '../lib/app.mjs';

const SHORT = 'GX2025-0100';

/** A folder package of one candidate who has held 实验师 3 years 2 months on `meetingDate`. */
function shortPackage(dataDir, meetingDate) {
  const [y, m, d] = meetingDate.split('-').map(Number);
  const back = new Date(Date.UTC(y - 3, m - 1 - 2, Math.min(d, 28)));
  const obtained = back.toISOString().slice(0, 10);
  const pdf = Buffer.from('%PDF-1.4\n% short\n%%EOF\n');
  const root = join(dataDir, '..', `${SHORT}-pkg`);
  mkdirSync(join(root, 'files'), { recursive: true });
  writeFileSync(join(root, 'files', 'p.pdf'), pdf);
  writeFileSync(join(root, 'dossier.json'), JSON.stringify({
    format: 'conclave-dossier/1',
    batch: { name: '补充材料' },
    candidates: [{
      id: SHORT, name: '覃短年', organization: '广西大学', applied_title: '高级实验师', track: 'normal',
      current_title: { title: '实验师', obtained }, education: { degree: '大学本科' },
      achievements: [{ id: 'A1', category: 'patent', title: '一种装置', representative: true,
        files: [{ title: '证书', path: 'files/p.pdf', sha256: createHash('sha256').update(pdf).digest('hex') }] }],
    }],
  }));
  return root;
}

describe('application conditions', () => {
  const dataDir = freshDataDir('conditions');
  let driver;
  let browser;

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '申报条件测试会议');
    await importFixtures(browser, dataDir);
    const date = await (await byTestId(browser, 'meeting-date-value')).getText();
    answerDialog(dataDir, shortPackage(dataDir, date.trim()));
    await (await byTestId(browser, 'import-folder')).click();
    await waitForText(browser, 'import-ok', '1');
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('shows the numbers on the candidate list and page, in Chinese and English', async () => {
    const row = await browser.$(`[data-testid="candidate-row"][data-id="${SHORT}"]`);
    await row.waitForDisplayed({ timeout: 15000 });
    const flag = await row.$('[data-flag="conditions"]');
    assert.equal(await flag.getText(), '申报条件不符合：大学本科，实验师 3 年 2 个月，需 5 年');
    assert.match(await flag.getAttribute('class'), /severe/, 'it bars: shown red');
    assert.equal((await browser.$$('[data-flag="conditions"].severe')).length, 1, 'only the short candidate is barred by it');
    await screenshot(browser, 'conditions-list-zh');
    await (await row.$('[data-testid="open-candidate"]')).click();
    const card = await byTestId(browser, 'conditions');
    assert.equal(await card.getAttribute('data-outcome'), 'fails');
    await waitForText(browser, 'conditions-text', '大学本科，实验师 3 年 2 个月，需 5 年');
    assert.match(await card.getText(), /人社部发|实验技术人员职称评价基本标准/);
    assert.match(await card.getText(), /资历计算截止日期/);
    await screenshot(browser, 'conditions-candidate-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'conditions-text', "Bachelor's degree, lab engineer 3 years 2 months, needs 5 years");
    await screenshot(browser, 'conditions-candidate-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await (await byTestId(browser, 'back')).click();
  });

  it("bars the candidate with why, until the chair's override", async () => {
    // The chair alone signs in and gets a PIN: enough to authorise the override.
    await (await byTestId(browser, 'tab-signin')).click();
    await byTestId(browser, 'quorum');
    let chairRow;
    for (const r of await browser.$$('[data-testid="attendee"]')) {
      if ((await r.getText()).includes(CHAIR)) chairRow = r;
    }
    assert.ok(chairRow, 'the chair is on the roster');
    await (await chairRow.$('[data-testid="toggle-presence"]')).click();
    await waitForText(browser, 'quorum', '出席 1 / 25');
    const pins = await printPins(browser, dataDir, 'e2e-conditions-pins.pdf');
    assert.ok(pins[CHAIR], 'the chair has a PIN');
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    const row = await browser.$(`[data-testid="barred-candidate"][data-candidate="${SHORT}"]`);
    await row.waitForDisplayed({ timeout: 15000 });
    assert.match(await row.getText(), /申报条件不符合：大学本科，实验师 3 年 2 个月，需 5 年/);
    await screenshot(browser, 'conditions-barred-zh');
    await (await row.$('[data-testid="override"]')).click();
    await (await row.$('[data-testid="override-reason"]')).setValue('经主任委员会议研究，资历按聘任时间计算');
    await (await row.$('[data-testid="override-submit"]')).click();
    await chairPin(browser, pins[CHAIR]);
    await browser.waitUntil(async () => !(await browser.$(`[data-testid="barred-candidate"][data-candidate="${SHORT}"]`).isExisting()),
      { timeout: 15000, timeoutMsg: 'the override took the candidate off the barred list' });
    await waitForText(browser, 'new-round', SHORT);
    await screenshot(browser, 'conditions-overridden-zh');
  });

  it('sets the posts and refuses a reference date that is no day, in plain words', async () => {
    await (await byTestId(browser, 'tab-signin')).click();
    const card = await byTestId(browser, 'standard-rules');
    await (await card.$('[data-testid="posts-title"]')).selectByAttribute('value', 'senior_lab_engineer');
    await (await card.$('[data-testid="posts-count"]')).setValue('1');
    await (await card.$('[data-testid="posts-save"]')).click();
    await waitForText(browser, 'posts-list', '高级实验师 1');
    const date = await card.$('[data-testid="reference-date"]');
    await date.clearValue();
    await date.setValue('2026-02-30');
    await (await card.$('[data-testid="standard-save"]')).click();
    await browser.waitUntil(async () => (await card.getText()).includes('资历计算截止日期“2026-02-30”无效'),
      { timeout: 15000, timeoutMsg: 'the refusal names the reference date' });
    await card.scrollIntoView({ block: 'end' });
    await screenshot(browser, 'conditions-rules-zh');
  });
});
