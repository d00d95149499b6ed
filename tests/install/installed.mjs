// The installed package as a secretary meets it: /usr/bin/conclave started
// under Xvfb through tauri-driver shows the start screen (a screenshot) and
// makes a meeting in the platform's data folder. scripts/test-install.sh
// runs it between installing and removing the .deb.
import assert from 'node:assert/strict';
import { byTestId, createMeeting, launch, screenshot, startDriver, waitForText } from '../e2e/lib/app.mjs';

const dataDir = process.argv[2];
assert.ok(process.env.CONCLAVE_BIN, 'CONCLAVE_BIN names the installed binary');
const driver = await startDriver(dataDir);
try {
  const browser = await launch();
  await waitForText(browser, 'start-screen', '会议');
  await screenshot(browser, 'installed-start-zh');
  await createMeeting(browser, '安装测试会议');
  await (await byTestId(browser, 'back')).click();
  await waitForText(browser, 'meeting-list', '安装测试会议');
  await browser.deleteSession();
  console.log('installed: the start screen shows and a meeting was made');
} finally {
  await driver.stop();
}
