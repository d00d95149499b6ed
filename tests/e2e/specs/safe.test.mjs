// Nothing that cannot be taken back happens on one click (issue 25): every
// such action asks once, saying what it undoes and whom it touches; PINs are
// printed, never shown on screen; one member's PIN slip or terminal card is
// re-issued alone; leaving the meeting never stops the meeting-room network
// silently, and not at all while members vote on their terminals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  answerDialog, byTestId, chairPin, confirm, createMeeting, freshDataDir, importFixtures, launch, nameTrustees,
  outDir, painted, printPins, readPins, screenshot, startDriver, waitForText, CHAIR } from '../lib/app.mjs';

const PORT = 20000 + Math.floor(Math.random() * 20000);

/** The attendance row of member `id`. */
const row = (browser, id) => browser.$(`[data-testid="attendee"][data-id="${id}"]`);

async function startNetwork(browser, port) {
  await (await byTestId(browser, 'network-address')).selectByAttribute('value', '127.0.0.1');
  const input = await byTestId(browser, 'network-port');
  await input.clearValue();
  await input.setValue(String(port));
  await (await byTestId(browser, 'network-start')).click();
  await waitForText(browser, 'network-url', `https://127.0.0.1:${port}/t/`);
}

/** Clicks `id` inside `parent`, scrolled to the middle (the quorum line sticks at the top). */
async function clickIn(parent, id) {
  const el = await parent.$(`[data-testid="${id}"]`);
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}

/** The text of a PDF. */
const pdfText = (path) => execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString();

describe('irreversible actions ask once', () => {
  const dataDir = freshDataDir('safe');
  let driver;
  let browser;
  let pins = {};
  let absentName = '';

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '确认与补发测试');
    await importFixtures(browser, dataDir);
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('signs everyone in after one confirmation with the count', async () => {
    await (await byTestId(browser, 'tab-signin')).click();
    await waitForText(browser, 'quorum', '出席 0 / 25');
    await (await byTestId(browser, 'sign-in-all')).click();
    await confirm(browser, '将为尚未签到的 25 名委员签到', { shot: 'confirm-sign-in-all-zh' });
    await waitForText(browser, 'quorum', '出席 25 / 25');
    assert.equal(await (await byTestId(browser, 'sign-in-all')).isEnabled(), false, 'nobody left to sign in');
  });

  it('asks before signing a member out, and a cancel leaves them present', async () => {
    const m04 = await row(browser, 'M04');
    absentName = (await (await m04.$('.name')).getText()).split(' ')[0];
    await clickIn(m04, 'toggle-presence');
    await confirm(browser, `确认 ${absentName} 离席？离席时间将记入会议记录。`, { ok: false, shot: 'confirm-sign-out-zh' });
    assert.equal(await m04.getAttribute('data-present'), 'true', 'cancelled: still present');
    await clickIn(m04, 'toggle-presence');
    await confirm(browser, `确认 ${absentName} 离席？`);
    await waitForText(browser, 'quorum', '出席 24 / 25');
  });

  it('prints the PIN slips after saying what they void, and shows no PIN on screen', async () => {
    const slips = join(outDir, 'e2e-safe-pins.pdf');
    answerDialog(dataDir, slips);
    await (await byTestId(browser, 'print-pins')).click();
    await confirm(browser, '将为已签到的 24 名委员重新生成投票密码并打印；之前发放的密码（包括主任委员的）全部作废。',
      { shot: 'confirm-pins-zh' });
    await waitForText(browser, 'pins-saved', slips);
    pins = readPins(slips);
    assert.equal(Object.keys(pins).length, 24, 'one slip per member present');
    const page = await browser.$('body').getText();
    for (const pin of Object.values(pins)) assert.ok(!page.includes(pin), 'no PIN is shown on screen');
    assert.equal(await browser.$('[data-testid="no-pin"]').isExisting(), false, 'everyone present holds a PIN');
  });

  it('says who signed in after the slips has no PIN, and re-issues that one slip alone', async () => {
    const m04 = await row(browser, 'M04');
    await clickIn(m04, 'toggle-presence');
    await waitForText(browser, 'quorum', '出席 25 / 25');
    await browser.waitUntil(async () => (await m04.getText()).includes('无投票密码'), {
      timeout: 15000, timeoutMsg: 'the late member is not said to have no PIN' });
    const slip = join(outDir, 'e2e-safe-pin-slip.pdf');
    answerDialog(dataDir, slip);
    await clickIn(m04, 'reissue-pin');
    await confirm(browser, `将为 ${absentName} 重新生成投票密码并打印一张密码条`, { shot: 'confirm-reissue-pin-zh' });
    await waitForText(browser, 'pins-saved', slip);
    const one = readPins(slip);
    assert.deepEqual(Object.keys(one), [absentName], 'the slip is that member\'s alone');
    assert.match(one[absentName], /^\d{6}$/, 'a six-digit PIN');
    assert.equal((pdfText(slip).match(/姓名：/g) ?? []).length, 1, 'one slip on the page');
    await browser.waitUntil(async () => !(await m04.getText()).includes('无投票密码'), {
      timeout: 15000, timeoutMsg: 'the member still shown without a PIN' });
  });

  it('the chair\'s PIN from the first slips still opens a round after the re-issue', async () => {
    await (await byTestId(browser, 'tab-recusals')).click();
    await (await byTestId(browser, 'propose-recusals')).click();
    await (await byTestId(browser, 'dismiss-all-recusals')).click();
    await (await byTestId(browser, 'decide-all-yes')).click();
    await (await byTestId(browser, 'tab-voting')).click();
    await nameTrustees(browser);
    await (await byTestId(browser, 'mode-terminal')).click();
    await (await byTestId(browser, 'open-round-button')).click();
    await chairPin(browser, pins[CHAIR]);
    await waitForText(browser, 'terminal-round', '已投 0 /');
  });

  it('refuses to leave while a terminal round is open and the network runs', async () => {
    await (await byTestId(browser, 'tab-network')).click();
    await startNetwork(browser, PORT);
    await (await byTestId(browser, 'back')).click();
    await waitForText(browser, 'confirm-message', '第 1 轮表决进行中，不能关闭会场网络');
    assert.equal(await browser.$('[data-testid="confirm-cancel"]').isExisting(), false, 'a refusal, nothing to choose');
    await byTestId(browser, 'confirm-ok');
    await painted(browser);
    await screenshot(browser, 'leave-refused-zh');
    await (await byTestId(browser, 'confirm-ok')).click();
    await byTestId(browser, 'network-on');
    await (await byTestId(browser, 'lang-switch')).click();
    await (await byTestId(browser, 'back')).click();
    await waitForText(browser, 'confirm-message', 'Voting round 1 is open');
    await byTestId(browser, 'confirm-ok');
    await painted(browser);
    await screenshot(browser, 'leave-refused-en');
    await (await byTestId(browser, 'confirm-ok')).click();
    await (await byTestId(browser, 'lang-switch')).click();
    await byTestId(browser, 'meeting-screen');
  });

  it('re-issues one terminal card and revokes another, each after asking', async () => {
    const cards = join(outDir, 'e2e-safe-cards.pdf');
    answerDialog(dataDir, cards);
    await (await byTestId(browser, 'print-terminal-cards')).click();
    await waitForText(browser, 'cards-saved', cards);
    // Printing them all again voids every card: asked, and cancelled here.
    await (await byTestId(browser, 'print-terminal-cards')).click();
    await confirm(browser, '重新打印全部终端卡：已发的 25 张旧卡全部作废，委员须用新卡配对。', { ok: false, shot: 'confirm-cards-zh' });

    const one = join(outDir, 'e2e-safe-card.pdf');
    answerDialog(dataDir, one);
    const m05 = await browser.$('[data-testid="terminal-row"][data-member="M05"]');
    await clickIn(m05, 'reissue-terminal');
    await confirm(browser, '原来的卡和与它配对的终端作废，其他委员的终端不受影响', { shot: 'confirm-reissue-card-zh' });
    await waitForText(browser, 'cards-saved', one);
    assert.ok(pdfText(one).includes('M05'), 'the card is M05\'s');
    assert.ok(!pdfText(one).includes('M06'), 'and no one else\'s');

    const m06 = await browser.$('[data-testid="terminal-row"][data-member="M06"]');
    await clickIn(m06, 'revoke-terminal');
    await confirm(browser, '其他委员的终端不受影响', { shot: 'confirm-revoke-zh' });
    await browser.waitUntil(async () => (await m06.getText()).includes('已作废'), {
      timeout: 15000, timeoutMsg: 'not shown revoked' });
  });

  it('warns when the network runs on another address than the cards carry', async () => {
    await (await byTestId(browser, 'network-stop')).click();
    await confirm(browser, '第 1 轮表决进行中');
    await startNetwork(browser, PORT + 1);
    await waitForText(browser, 'cards-elsewhere', `https://127.0.0.1:${PORT}/t/`);
    await (await byTestId(browser, 'network-url')).scrollIntoView({ block: 'start' });
    await screenshot(browser, 'cards-elsewhere-zh');
    await (await byTestId(browser, 'network-stop')).click();
    await confirm(browser, '第 1 轮表决进行中');
    await startNetwork(browser, PORT);
    await browser.waitUntil(async () => !(await browser.$('[data-testid="cards-elsewhere"]').isExisting()), {
      timeout: 15000, timeoutMsg: 'the warning stayed on the cards\' own address' });
  });

  it('asks before leaving with the network running once the round is closed; en too', async () => {
    await (await byTestId(browser, 'tab-voting')).click();
    await (await byTestId(browser, 'close-round')).click();
    await waitForText(browser, 'confirm-message', '人未投票');
    await (await byTestId(browser, 'confirm-ok')).click();
    await chairPin(browser, pins[CHAIR]);
    await byTestId(browser, 'tally');
    await (await byTestId(browser, 'lang-switch')).click();
    await (await byTestId(browser, 'back')).click();
    await waitForText(browser, 'confirm-message', 'leaving disconnects every terminal');
    await byTestId(browser, 'confirm-ok');
    await painted(browser);
    await screenshot(browser, 'leave-ask-en');
    await (await byTestId(browser, 'confirm-cancel')).click();
    await (await byTestId(browser, 'tab-signin')).click();
    const m04 = await row(browser, 'M04');
    await clickIn(m04, 'toggle-presence');
    await waitForText(browser, 'confirm-message', 'The time they left goes into the minutes');
    await byTestId(browser, 'confirm-ok');
    await painted(browser);
    await screenshot(browser, 'confirm-sign-out-en');
    // Escape cancels: the member stays.
    await browser.keys('Escape');
    await browser.waitUntil(async () => !(await browser.$('[data-testid="confirm"]').isExisting()), {
      timeout: 15000, timeoutMsg: 'Escape did not close the confirmation' });
    assert.equal(await m04.getAttribute('data-present'), 'true', 'still present');
    await (await byTestId(browser, 'print-pins')).click();
    await waitForText(browser, 'confirm-message', "every PIN issued before (the chair's too) stops working");
    await byTestId(browser, 'confirm-ok');
    await painted(browser);
    await screenshot(browser, 'confirm-pins-en');
    await (await byTestId(browser, 'confirm-cancel')).click();
    await (await byTestId(browser, 'lang-switch')).click();

    await (await byTestId(browser, 'back')).click();
    await confirm(browser, '会场网络正在运行，离开后各终端将断开。确定停止并离开？', { shot: 'leave-ask-zh' });
    await byTestId(browser, 'start-screen');
    const refused = await new Promise((done) => {
      const socket = connect(PORT, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); done(false); });
      socket.once('error', () => done(true));
    });
    assert.ok(refused, 'the meeting-room network stopped');
  });
});
