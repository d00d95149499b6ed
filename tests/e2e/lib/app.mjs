// Drives the real Conclave window: tauri-driver (which starts WebKitWebDriver)
// launches the built binary with a throw-away data folder. Tests wait for
// elements and text, never for fixed times.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../../..');
export const fixtures = resolve(repo, '../shared/fixtures');
export const outDir = resolve(process.env.CONCLAVE_TEST_OUTPUT ?? join(repo, 'test-output'));
const targetDir = resolve(repo, process.env.CARGO_TARGET_DIR ?? 'target');
export const binary = process.env.CONCLAVE_BIN ?? join(targetDir, 'debug', 'conclave');
const driverBin = process.env.TAURI_DRIVER ?? 'tauri-driver';
// tauri-driver's port and, one above, WebKitWebDriver's (another port lets two
// checkouts run their tests side by side).
const PORT = Number(process.env.CONCLAVE_E2E_PORT ?? 4444);

/** A data folder for one test file. */
export function freshDataDir(name) {
  return mkdtempSync(join(tmpdir(), `conclave-e2e-${name}-`));
}

/** The file whose content answers the app's file dialog (see commands.rs). */
export function pickFile(dataDir) {
  return join(dataDir, '..', `${basename(dataDir)}.pick`);
}

/** Makes the next file dialog of the app answer `path`. */
export function answerDialog(dataDir, path) {
  writeFileSync(pickFile(dataDir), path);
}

/** The file to which the app appends each PDF it would open in the system
 * viewer to print (see src/opener.rs). */
export function openedFile(dataDir) {
  return join(dataDir, '..', `${basename(dataDir)}.opened`);
}

/** Starts tauri-driver whose app instances use `dataDir`. */
export async function startDriver(dataDir) {
  answerDialog(dataDir, '');
  const proc = spawn(driverBin, ['--port', String(PORT), '--native-port', String(PORT + 1)], {
    env: {
      ...process.env,
      CONCLAVE_DATA_DIR: dataDir,
      CONCLAVE_TEST_PICK_FILE: pickFile(dataDir),
      CONCLAVE_TEST_OPEN_FILE: openedFile(dataDir),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort();
  return {
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    },
  };
}

async function waitForPort() {
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/status`);
      if (res.ok || res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('tauri-driver did not start listening');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the app window. Only the session start is retried. */
export async function launch() {
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const browser = await remote({
        hostname: '127.0.0.1',
        port: PORT,
        logLevel: 'error',
        connectionRetryCount: 0,
        capabilities: {
          browserName: 'wry',
          'wdio:enforceWebDriverClassic': true,
          'tauri:options': { application: binary },
        },
      });
      await byTestId(browser, 'app');
      await browser.waitUntil(
        async () => (await (await byTestId(browser, 'app')).getAttribute('data-ready')) === 'true',
        { timeout: 15000, timeoutMsg: 'the app did not finish loading' },
      );
      return browser;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/** The element with `data-testid`, once it is displayed. */
export async function byTestId(browser, id, { timeout = 15000 } = {}) {
  const el = await browser.$(`[data-testid="${id}"]`);
  await el.waitForDisplayed({ timeout, timeoutMsg: `[data-testid="${id}"] not displayed` });
  return el;
}

/** Waits until the element's text contains `text`. */
export async function waitForText(browser, id, text, { timeout = 15000 } = {}) {
  await browser.waitUntil(
    async () => {
      const el = await browser.$(`[data-testid="${id}"]`);
      return (await el.isExisting()) && (await el.getText()).includes(text);
    },
    { timeout, timeoutMsg: `[data-testid="${id}"] never contained "${text}"` },
  );
}

/**
 * Answers the confirmation dialog an irreversible action opens: checks that
 * it says `text`, then clicks `confirm-ok` (or `confirm-cancel` when `ok`
 * is false) and waits for it to close.
 */
export async function confirm(browser, text, { ok = true, shot = null } = {}) {
  await waitForText(browser, 'confirm-message', text);
  await byTestId(browser, 'confirm-ok');
  if (shot) await painted(browser).then(() => screenshot(browser, shot));
  await (await byTestId(browser, ok ? 'confirm-ok' : 'confirm-cancel')).click();
  await browser.waitUntil(async () => !(await browser.$('[data-testid="confirm"]').isExisting()), {
    timeout: 15000,
    timeoutMsg: 'the confirmation did not close',
  });
}

/** Resolves once the page has painted twice (a screenshot right after a change may miss it). */
export async function painted(browser) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
}

/** Saves a screenshot for people to look at (assertions use text). */
export async function screenshot(browser, name) {
  const dir = join(outDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await browser.saveScreenshot(join(dir, `${name}.png`));
}

/**
 * Types `text` into an input. WebKitWebDriver drops characters outside the
 * BMP (𠮷 𪚥) from key events, and its element-clear fires no `input` event,
 * so such text (and clearing) is committed the way an input method does it:
 * value set, then an `input` event.
 */
export async function typeText(browser, id, text) {
  const el = await byTestId(browser, id);
  if (text !== '' && [...text].every((ch) => ch.codePointAt(0) <= 0xffff)) {
    await el.setValue(text);
  } else {
    await el.clearValue();
    await browser.execute(
      (sel, value) => {
        const input = document.querySelector(sel);
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      `[data-testid="${id}"]`,
      text,
    );
  }
  const actual = await el.getValue();
  if (actual !== text) throw new Error(`typed ${JSON.stringify(text)} but the field holds ${JSON.stringify(actual)}`);
}

/** Creates a meeting through the form and leaves the app on its screen. */
/** The secretary's PIN every test meeting is created with. */
export const SECRETARY_PIN = '13572468';

export async function createMeeting(browser, name) {
  await (await byTestId(browser, 'new-meeting')).click();
  await typeText(browser, 'meeting-name', name);
  await typeText(browser, 'secretary-pin-new', SECRETARY_PIN);
  await typeText(browser, 'secretary-pin-again', SECRETARY_PIN);
  await (await byTestId(browser, 'create-meeting')).click();
  await waitForText(browser, 'meeting-title', name);
}

/** Imports the fixtures' zipped package (and the 25-member roster) into the open meeting. */
export async function importFixtures(browser, dataDir, { roster = true } = {}) {
  answerDialog(dataDir, join(fixtures, 'batch-small.zip'));
  await (await byTestId(browser, 'import-zip')).click();
  await waitForText(browser, 'import-ok', '8');
  if (!roster) return;
  answerDialog(dataDir, join(fixtures, 'committee-25.json'));
  await (await byTestId(browser, 'import-roster')).click();
  await waitForText(browser, 'member-count', '25');
}

/** The trustees the tests name, with their passphrases. */
export const trustees = [
  ['李鹏伟', '7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA'],
  ['监票人甲', 'M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE'],
  ['监票人乙', 'H3NXP-7WQKD-5RBZT-8MJCF-2VGYA'],
];

/** Names the trustees through the voting tab's form (each passphrase typed twice). */
export async function nameTrustees(browser) {
  const form = await byTestId(browser, 'trustees-setup');
  for (const [i, [name, pass]] of trustees.entries()) {
    const set = await form.$(`[data-testid="trustee-${i + 1}"]`);
    await (await set.$('[data-testid="trustee-name"]')).setValue(name);
    await (await set.$('[data-testid="trustee-pass"]')).setValue(pass);
    await (await set.$('[data-testid="trustee-again"]')).setValue(pass);
  }
  await (await byTestId(browser, 'trustees-submit')).click();
  await byTestId(browser, 'open-round-button');
}

/** Two trustees decrypt the closed round shown in the tally card. */
export async function tallyRound(browser, [a, b] = [trustees[0], trustees[2]]) {
  const card = await byTestId(browser, 'tally');
  for (const [i, [name, pass]] of [a, b].entries()) {
    const set = await card.$(`[data-testid="tally-trustee-${i + 1}"]`);
    await (await set.$('[data-testid="tally-name"]')).selectByAttribute('value', name);
    await (await set.$('[data-testid="tally-pass"]')).setValue(pass);
  }
  await (await byTestId(browser, 'tally-submit')).click();
}

/** Types `pass` into the chair's passphrase dialog that a sealed print opens, and submits. */
/** The fixtures' chair and first vice chair (committee-25.json). */
export const CHAIR = '李鹏伟';
export const VICE_CHAIR = '郭刚宇';

/**
 * Prints the PIN slips (fresh PINs for the members present) through the
 * window to `name` in outDir and reads them back: { member name: PIN }.
 */
export async function printPins(browser, dataDir, name = 'pins.pdf') {
  await (await byTestId(browser, 'tab-documents')).click();
  const slips = join(outDir, name);
  answerDialog(dataDir, slips);
  await (await byTestId(browser, 'print-pins')).click();
  // Every earlier PIN stops working: the window says so first.
  await confirm(browser, '之前发放的密码（包括主任委员的）全部作废');
  await waitForText(browser, 'document-saved', slips);
  return readPins(slips);
}

/** The PIN slips in a PDF: { member name: PIN }. */
export function readPins(slips) {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', slips, '-']).toString();
  const names = [];
  const pins = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('姓名：')) names.push(line.slice(3).trim());
    else if (/^\d{6}$/.test(line)) pins[names.shift()] = line;
  }
  return pins;
}

/** Types a PIN into the chair's authorisation dialog and submits it. */
export async function chairPin(browser, pin) {
  const dialog = await byTestId(browser, 'chair-pin');
  const input = await dialog.$('[data-testid="chair-pin-input"]');
  await input.clearValue();
  await input.setValue(pin);
  await (await dialog.$('[data-testid="chair-pin-submit"]')).click();
}

export async function chairPassphrase(browser, pass = trustees[0][1]) {
  const dialog = await byTestId(browser, 'chair-passphrase');
  await (await dialog.$('[data-testid="chair-passphrase-input"]')).setValue(pass);
  await (await dialog.$('[data-testid="chair-passphrase-submit"]')).click();
}
