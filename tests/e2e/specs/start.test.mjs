// The walking skeleton in the real window: create a meeting, restart, it is
// still there; the language switch is remembered; rare characters render.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, freshDataDir, launch, screenshot, startDriver, typeText, waitForText, SECRETARY_PIN } from '../lib/app.mjs';

const NAME = '2025年度实验技术系列高级职称评审会议（韦秀𠮷 刘䶮 王𪚥）';

describe('start screen', () => {
  let driver;
  let browser;

  before(async () => {
    driver = await startDriver(freshDataDir('start'));
    browser = await launch();
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('starts in Chinese with no meetings', async () => {
    await waitForText(browser, 'no-meetings', '还没有会议');
    await screenshot(browser, 'start-empty-zh');
  });

  it('serves the bundled Extension A/B font to the page', async () => {
    const faces = await browser.execute(async () => {
      const a = await document.fonts.load('20px "Conclave Han A"', '䶮');
      const b = await document.fonts.load('20px "Conclave Han B"', '𪚥');
      return [a.length, b.length, document.fonts.check('20px "Conclave Han B"', '𠮷𪚥')];
    });
    assert.deepEqual(faces, [1, 1, true], 'both bundled faces load through the conclave: protocol');
  });

  it('refuses a meeting without a name, with a Chinese message', async () => {
    await (await byTestId(browser, 'new-meeting')).click();
    await byTestId(browser, 'new-meeting-form');
    await (await byTestId(browser, 'create-meeting')).click();
    await waitForText(browser, 'error-message', '会议名称不能为空');
    await screenshot(browser, 'new-meeting-error-zh');
  });

  it('creates a meeting through the form', async () => {
    await typeText(browser, 'meeting-name', NAME);
    // The date is YYYY-MM-DD as typed, not in the OS locale's order.
    assert.match(await (await byTestId(browser, 'meeting-date')).getValue(), /^\d{4}-\d{2}-\d{2}$/);
    await typeText(browser, 'meeting-date', '2026-12-05');
    await typeText(browser, 'meeting-place', '南宁市 广西人才大厦 3 楼会议室');
    await (await byTestId(browser, 'meeting-level')).selectByAttribute('value', 'senior');
    // The secretary's own PIN: 6–12 digits, typed the same twice.
    await typeText(browser, 'secretary-pin-new', '1234');
    await typeText(browser, 'secretary-pin-again', '1234');
    await (await byTestId(browser, 'create-meeting')).click();
    await waitForText(browser, 'error-message', '秘书密码须为 6–12 位数字');
    await typeText(browser, 'secretary-pin-new', SECRETARY_PIN);
    await typeText(browser, 'secretary-pin-again', `${SECRETARY_PIN}9`);
    await (await byTestId(browser, 'create-meeting')).click();
    await waitForText(browser, 'error-message', '两次输入的秘书密码不一致');
    await typeText(browser, 'secretary-pin-again', SECRETARY_PIN);
    await (await byTestId(browser, 'create-meeting')).click();
    await waitForText(browser, 'meeting-title', NAME);
    assert.match(await (await byTestId(browser, 'created-at')).getText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'local, 24-hour');
    await screenshot(browser, 'meeting-zh');
    await (await byTestId(browser, 'back')).click();
    await waitForText(browser, 'meeting-list', NAME);
    const rows = await browser.$$('[data-testid="meeting-row"]');
    assert.equal(rows.length, 1, 'exactly the one meeting created, the refused one is not there');
    await screenshot(browser, 'start-one-meeting-zh');
  });

  it('still lists the meeting after the app is closed and started again', async () => {
    await browser.deleteSession();
    browser = await launch();
    await waitForText(browser, 'meeting-list', NAME);
    await (await byTestId(browser, 'open-meeting')).click();
    await waitForText(browser, 'meeting-title', NAME);
    await (await byTestId(browser, 'back')).click();
  });

  it('switches to English and remembers it across a restart', async () => {
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'start-screen', 'Meetings');
    await waitForText(browser, 'meeting-list', 'Senior');
    await screenshot(browser, 'start-en');
    // The new-meeting form in English: the levels with their scope, the
    // secretary's PIN refused in English.
    await (await byTestId(browser, 'new-meeting')).click();
    await waitForText(browser, 'meeting-level', 'Senior (full and associate)');
    await typeText(browser, 'meeting-name', 'Committee of 2027');
    await typeText(browser, 'secretary-pin-new', SECRETARY_PIN);
    await typeText(browser, 'secretary-pin-again', `${SECRETARY_PIN}9`);
    await (await byTestId(browser, 'create-meeting')).click();
    await waitForText(browser, 'error-message', "The secretary's PIN was typed differently the second time");
    await screenshot(browser, 'new-meeting-en');
    await (await byTestId(browser, 'cancel-meeting')).click();
    await waitForText(browser, 'meeting-list', 'Senior');
    await browser.deleteSession();
    browser = await launch();
    await waitForText(browser, 'start-screen', 'New meeting');
    await (await byTestId(browser, 'open-meeting')).click();
    await waitForText(browser, 'meeting-screen', 'Meeting overview');
    await screenshot(browser, 'meeting-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'meeting-screen', '会议概况');
  });
});
