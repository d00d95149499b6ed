// A whole meeting in the real window, on the fixtures with the 25-member
// roster: sign-in of 20, one recusal, one station-mode round over all 8
// candidates, the count, and the results confirmed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  answerDialog, binary, byTestId, createMeeting, fixtures, freshDataDir, launch, outDir, screenshot, startDriver, waitForText,
} from '../lib/app.mjs';

const CHOICES = ['for', 'for', 'for', 'against', 'abstain'];
// Even-placed candidates get 16 of 20 for (they pass), odd ones 12 (they fail).
const choiceOf = (voter, ci) =>
  ci % 2 === 0 ? (voter % 10 < 8 ? 'for' : voter % 10 === 8 ? 'against' : 'abstain') : CHOICES[(voter + ci) % CHOICES.length];

describe('a whole meeting', () => {
  const dataDir = freshDataDir('meeting');
  let driver;
  let browser;
  const expected = {};

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '全流程测试会议');
    answerDialog(dataDir, join(fixtures, 'batch-small.zip'));
    await (await byTestId(browser, 'import-zip')).click();
    await waitForText(browser, 'import-ok', '8');
    answerDialog(dataDir, join(fixtures, 'committee-25.json'));
    await (await byTestId(browser, 'import-roster')).click();
    await waitForText(browser, 'member-count', '25');
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
    await screenshot(browser, 'signin-zh');
  });

  it('records one recusal', async () => {
    await (await byTestId(browser, 'tab-recusals')).click();
    await (await byTestId(browser, 'propose-recusals')).click();
    const first = await browser.$('[data-testid="recusal"][data-status="proposed"]');
    await first.waitForDisplayed();
    const member = await first.getAttribute('data-member');
    const candidate = await first.getAttribute('data-candidate');
    await (await first.$('[data-testid="confirm-recusal"]')).click();
    await browser.waitUntil(async () =>
      (await browser.$(`[data-testid="recusal"][data-member="${member}"][data-candidate="${candidate}"]`).getAttribute('data-status')) === 'confirmed');
    await screenshot(browser, 'recusals-zh');
  });

  it('runs a station-mode round for all 8 candidates', async () => {
    await (await byTestId(browser, 'tab-voting')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await waitForText(browser, 'round-progress', '已投票 0 /');
    let voter = 0;
    for (;;) {
      const progress = await (await byTestId(browser, 'round-progress')).getText().catch(() => null);
      if (progress === null) break; // the round closed itself
      const select = await byTestId(browser, 'station-member');
      const options = await select.$$('option:not([disabled])');
      const values = [];
      for (const o of options) values.push(await o.getAttribute('value'));
      const next = values.find((v) => v);
      if (!next) break;
      await select.selectByAttribute('value', next);
      await (await byTestId(browser, 'unlock')).click();
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
      if (voter === 0) await screenshot(browser, 'ballot-done-zh');
      voter += 1;
      const closed = await browser.$('[data-testid="round-results"]').isExisting();
      await (await byTestId(browser, 'next-voter')).click();
      if (closed) break;
    }
    assert.equal(voter, 20, 'each of the 20 present members voted once');
  });

  it('shows the count with its arithmetic and confirms it', async () => {
    await byTestId(browser, 'results');
    const rows = await browser.$$('[data-testid="result-row"]');
    assert.equal(rows.length, 8);
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
    await waitForText(browser, 'round-results', '结果已确认');
    await screenshot(browser, 'results-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'round-results', 'Results confirmed');
    await screenshot(browser, 'results-en');
    await (await byTestId(browser, 'lang-switch')).click();
  });

  it('prints the sealed results sheet where the secretary chooses, and it verifies', async () => {
    const out = join(outDir, 'results-round-1.pdf');
    answerDialog(dataDir, out);
    await (await byTestId(browser, 'print-results')).click();
    await waitForText(browser, 'print-saved', out);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', out, '-']).toString();
    assert.match(text, /评审结果表决统计表/);
    for (const [candidate, e] of Object.entries(expected)) {
      const line = text.split('\n').find((l) => l.includes(candidate));
      assert.ok(line, `${candidate} is on the sheet`);
      assert.ok(line.includes(` ${e.for} `) && line.includes(` ${e.against} `), `${candidate}: ${line}`);
    }
    execFileSync(binary, ['verify', out]); // throws unless exit 0
  });
});
