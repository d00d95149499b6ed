// Importing through the window: a package with errors changes nothing and
// lists every error; batch-small.zip brings 8 candidates; a second import of
// the same package is refused politely; the 25-member roster imports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  answerDialog, byTestId, createMeeting, fixtures, freshDataDir, launch, screenshot, startDriver, waitForText,
} from '../lib/app.mjs';

describe('import', () => {
  const dataDir = freshDataDir('import');
  let driver;
  let browser;

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '导入测试会议');
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('refuses a package with errors, lists them all and changes nothing', async () => {
    answerDialog(dataDir, join(fixtures, 'invalid', 'several-errors.zip'));
    await (await byTestId(browser, 'import-zip')).click();
    await waitForText(browser, 'import-failed', '3');
    await waitForText(browser, 'import-errors', '高级工程师');
    await waitForText(browser, 'import-errors', 'candidates[1].name');
    await waitForText(browser, 'import-errors', 'GX2025-0001');
    await waitForText(browser, 'candidates', '尚未导入申报材料');
    await screenshot(browser, 'import-errors-zh');
  });

  it('imports batch-small.zip and shows its 8 candidates', async () => {
    answerDialog(dataDir, join(fixtures, 'batch-small.zip'));
    await (await byTestId(browser, 'import-zip')).click();
    await waitForText(browser, 'import-ok', '8');
    await waitForText(browser, 'candidates', '申报人（8 名）');
    const rows = await browser.$$('[data-testid="candidate-row"]');
    assert.equal(rows.length, 8, 'one row per candidate of the package');
    await waitForText(browser, 'candidate-list', '绿色通道');
    await screenshot(browser, 'import-ok-zh');
  });

  it('refuses the same package a second time, politely', async () => {
    await (await byTestId(browser, 'import-zip')).click();
    await waitForText(browser, 'import-errors', '无需重复导入');
    assert.equal((await browser.$$('[data-testid="candidate-row"]')).length, 8, 'still 8 candidates');
  });

  it('imports the committee roster', async () => {
    answerDialog(dataDir, join(fixtures, 'committee-25.json'));
    await (await byTestId(browser, 'import-roster')).click();
    await waitForText(browser, 'import-ok', '25');
    await waitForText(browser, 'member-count', '25');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'candidates', 'Candidates (8)');
    await screenshot(browser, 'import-ok-en');
    await (await byTestId(browser, 'lang-switch')).click();
  });
});
