// Real browsers as members' terminals: Debian's Chromium through chromedriver,
// and WebKit's MiniBrowser through WebKitWebDriver, against the meeting-room
// server the window started, over TLS. The certificate is self-signed, as in
// a meeting room; the test compares its fingerprint with the window's.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const MINIBROWSER = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
].find((p) => existsSync(p));

async function waitForDriver(port) {
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok || res.status < 500) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`the driver on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startProcess(cmd, args, port) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    ready: waitForDriver(port),
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    },
  };
}

/**
 * Starts a WebDriver server (`cmd args`) on `port` and a session of
 * `capabilities` in it (self-signed certificates accepted, as a member does
 * after comparing the fingerprint); `close()` ends both.
 */
async function drive(cmd, args, port, capabilities) {
  const driver = startProcess(cmd, args, port);
  await driver.ready;
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    capabilities: { acceptInsecureCerts: true, 'wdio:enforceWebDriverClassic': true, ...capabilities },
  });
  return { browser, async close() { await browser.deleteSession().catch(() => {}); await driver.stop(); } };
}

/** A Chromium terminal of `width` × `height` (CSS pixels). */
export async function chromium({ width = 800, height = 1280, port = 9515 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'conclave-chromium-'));
  return drive('chromedriver', [`--port=${port}`], port, {
    browserName: 'chrome',
    'goog:chromeOptions': {
      binary: '/usr/bin/chromium',
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        `--user-data-dir=${profile}`, `--window-size=${width},${height}`, '--lang=zh-CN',
      ],
    },
  });
}

/** A WebKit (MiniBrowser) terminal; null where MiniBrowser is not installed. */
export async function webkit({ port = 4446 } = {}) {
  if (!MINIBROWSER) return null;
  return drive('WebKitWebDriver', [`--port=${port}`], port, {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
  });
}

/** geckodriver, where `cargo install geckodriver` put it (scripts/setup.sh). */
const GECKODRIVER = [join(process.env.HOME ?? '/root', '.cargo/bin/geckodriver'), '/usr/local/bin/geckodriver'].find((p) => existsSync(p));
const FIREFOX = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));

/** A Firefox ESR terminal through geckodriver; null where either is missing. */
export async function firefox({ width = 1024, height = 768, port = 4447 } = {}) {
  if (!GECKODRIVER || !FIREFOX) return null;
  return drive(GECKODRIVER, [`--port=${port}`], port, {
    browserName: 'firefox',
    'moz:firefoxOptions': {
      binary: FIREFOX,
      args: ['-headless', `--width=${width}`, `--height=${height}`],
      prefs: { 'intl.accept_languages': 'zh-CN' },
    },
  });
}

/** The SHA-256 fingerprint of the certificate the server at host:port presents. */
export function servedFingerprint(host, port) {
  const pem = execFileSync('openssl', ['s_client', '-connect', `${host}:${port}`, '-servername', host], {
    input: '',
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem }).toString();
  return out.trim().split('=')[1];
}

/**
 * The cards' links, read back from the PDF: { 'name（Mxx）': link }.
 * A link is printed in lines of 44 characters under its label.
 */
export function cardLinks(pdf) {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', pdf, '-']).toString();
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const links = {};
  let who = null;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+（M\d+）)$/.exec(lines[i]);
    if (m) who = m[1];
    if (lines[i].startsWith('https://') && who) {
      let link = lines[i];
      while (lines[i + 1] && /^[0-9a-f&k=]+$/.test(lines[i + 1])) link += lines[++i];
      links[who] = link;
      who = null;
    }
  }
  return links;
}
