// Killing the app (SIGKILL) in the middle of a round loses no confirmed
// ballot, counts none twice, and the round goes on after a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  answerDialog, binary, byTestId, createMeeting, importFixtures, fixtures, freshDataDir, launch, startDriver, waitForText,
  nameTrustees, printPins, chairPin, typeText, CHAIR, SECRETARY_PIN } from '../lib/app.mjs';

/** SIGKILLs the running app (the newest process of the built binary). */
function killApp() {
  const pid = execFileSync('pgrep', ['-n', '-f', binary]).toString().trim();
  process.kill(Number(pid), 'SIGKILL');
}

/** Starts the app again and opens the meeting: the station's kiosk is back. */
async function restart(browser) {
  await browser.deleteSession().catch(() => {});
  const next = await launch();
  await (await byTestId(next, 'open-meeting')).click();
  await byTestId(next, 'kiosk');
  return next;
}

/** The secretary unlocks the first member not yet voted and marks every line 同意. */
async function unlockAndFill(browser) {
  const details = await byTestId(browser, 'by-secretary');
  if ((await details.getAttribute('open')) === null) await (await details.$('summary')).click();
  const select = await byTestId(browser, 'station-member');
  const options = await select.$$('option:not([disabled])');
  let member = '';
  for (const o of options) {
    const v = await o.getAttribute('value');
    if (v) {
      member = v;
      break;
    }
  }
  await select.selectByAttribute('value', member);
  await typeText(browser, 'secretary-pin', SECRETARY_PIN);
  await (await byTestId(browser, 'unlock')).click();
  await byTestId(browser, 'ballot');
  for (const line of await browser.$$('[data-testid="ballot-line"]')) {
    await (await line.$('[data-testid="choose-for"]')).click();
  }
  return member;
}

async function castOne(browser) {
  const member = await unlockAndFill(browser);
  await (await byTestId(browser, 'review-ballot')).click();
  await (await byTestId(browser, 'cast-ballot')).click();
  await byTestId(browser, 'ballot-done');
  return member;
}

describe('durability', () => {
  const dataDir = freshDataDir('durability');
  let driver;
  let browser;
  let pins;

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '断电测试会议');
    await importFixtures(browser, dataDir);
    await (await byTestId(browser, 'tab-signin')).click();
    for (let i = 0; i < 18; i++) {
      const rows = await browser.$$('[data-testid="attendee"]');
      await (await rows[i].$('[data-testid="toggle-presence"]')).click();
      await waitForText(browser, 'quorum', `出席 ${i + 1} / 25`);
    }
    pins = await printPins(browser, dataDir, 'durability-pins.pdf');
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    await (await byTestId(browser, 'open-round-button')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'round-progress', '已投票 0 / 18');
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('keeps every confirmed ballot when killed between ballots', async () => {
    for (let i = 0; i < 3; i++) {
      await castOne(browser);
      await (await byTestId(browser, 'next-voter')).click();
    }
    await castOne(browser); // confirmed on screen, then the power goes
    killApp();
    browser = await restart(browser);
    await waitForText(browser, 'round-progress', '已投票 4 / 18');
  });

  it('loses nothing and counts nothing twice when killed during a ballot', async () => {
    const member = await unlockAndFill(browser); // filled in, not confirmed
    killApp();
    browser = await restart(browser);
    await waitForText(browser, 'round-progress', '已投票 4 / 18');
    const details = await byTestId(browser, 'by-secretary');
    if ((await details.getAttribute('open')) === null) await (await details.$('summary')).click();
    const option = await browser.$(`[data-testid="station-member"] option[value="${member}"]`);
    assert.equal(await option.getAttribute('disabled'), null, 'the interrupted member may still vote');
    await castOne(browser);
    await waitForText(browser, 'round-progress', '已投票 5 / 18');
  });

  it('waits after five wrong PINs in a row, even for a right one', async () => {
    await (await byTestId(browser, 'next-voter')).click();
    for (let i = 1; i <= 5; i++) {
      await typeText(browser, 'station-pin', `00000${i}`);
      await (await byTestId(browser, 'unlock-pin')).click();
      await waitForText(browser, 'error-message', '个人密码不正确');
      await (await byTestId(browser, 'error-close')).click();
      await browser.waitUntil(async () => !(await browser.$('[data-testid="error"]').isExisting()), { timeout: 5000 });
    }
    await typeText(browser, 'station-pin', pins[CHAIR]);
    await (await byTestId(browser, 'unlock-pin')).click();
    await waitForText(browser, 'error-message', '秒后再试');
    assert.equal(await browser.$('[data-testid="ballot"]').isExisting(), false, 'nothing unlocked while it waits');
  });
});
