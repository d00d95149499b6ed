// Both verifiers agree on a corpus: the Rust test `corpus` (conclave-core)
// exports an honest archive and tampered copies into
// test-output/verifier-corpus/ with the step each must fail first and the
// steps `conclave verify` failed. Here the shipped verifier.html
// (src-tauri/core/assets/, the copy every archive carries), opened from
// file:// in headless Chromium, Firefox and WebKit (MiniBrowser, where
// installed), must pass the honest one, fail
// each tampered one first at the same step and fail the same steps — and
// make no request outside file:.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, firefox, webkit } from '../lib/terminal.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');
const CORPUS = join(ROOT, 'test-output', 'verifier-corpus');
const PAGE = pathToFileURL(join(ROOT, 'src-tauri', 'core', 'assets', 'verifier.html')).href;

/**
 * The corpus, made afresh by the Rust test (so both verifiers see archives
 * of this build); CONCLAVE_CORPUS=keep reuses one already made.
 */
function corpus() {
  if (process.env.CONCLAVE_CORPUS !== 'keep' || !existsSync(join(CORPUS, 'expected.json'))) {
    execFileSync('cargo', ['test', '-p', 'conclave-core', '--test', 'it', 'corpus'], { cwd: ROOT, stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8'));
}

/** Opens `zip` in the page and returns each step's state once the report is there. */
async function verifyIn(browser, zip, key = '') {
  await browser.url(PAGE);
  if (key) await (await browser.$('#key')).setValue(key);
  // The file input is hidden behind the drop zone; WebDriver needs it shown to type a path.
  await browser.execute(() => document.getElementById('file').removeAttribute('hidden'));
  await (await browser.$('#file')).setValue(zip);
  await browser.waitUntil(
    async () => ['passed', 'failed', 'incomplete'].includes(await browser.execute(() => document.getElementById('report').dataset.verdict)),
    { timeout: 120000, interval: 250, timeoutMsg: `no verdict for ${zip}` },
  );
  return browser.execute(() => ({
    verdict: document.getElementById('report').dataset.verdict,
    steps: [...document.querySelectorAll('.step')].map((s) => ({ id: s.dataset.step, state: s.dataset.state, text: s.textContent })),
    resources: performance.getEntriesByType('resource').map((e) => e.name),
    navigation: performance.getEntriesByType('navigation').map((e) => e.name),
  }));
}

for (const [name, start] of [
  ['Chromium', () => chromium({ port: 9600 + Math.floor(Math.random() * 300) })],
  ['Firefox', () => firefox({ port: 9900 + Math.floor(Math.random() * 300) })],
  // MiniBrowser needs a display: scripts/e2e.sh runs the suite under Xvfb.
  ['WebKit', () => (process.env.DISPLAY ? webkit({ port: 10200 + Math.floor(Math.random() * 300) }) : null)],
]) {
  describe(`verifier.html in ${name} agrees with conclave verify`, () => {
    let session = null;
    let expected = {};
    before(async () => {
      expected = corpus();
      session = await start();
    });
    after(async () => session?.close());

    it('fails every tampered archive at the same step, passes the honest one, and fetches nothing', async (t) => {
      if (!session) return t.skip(`${name} is not installed`);
      const rows = [];
      for (const [archive, want] of Object.entries(expected)) {
        const got = await verifyIn(session.browser, join(CORPUS, `${want.zip ?? archive}.zip`), want.key ?? '');
        const failed = got.steps.filter((s) => s.state === 'failed').map((s) => s.id);
        const notChecked = got.steps.filter((s) => s.state === 'not-checked').map((s) => s.id);
        rows.push(`${archive}: page ${failed.join(',') || 'passed'} / conclave ${want.rust_failed.join(',') || 'passed'}`);
        if (want.first === '') {
          assert.equal(got.verdict, 'passed', `${archive} passes every step in the page: ${JSON.stringify(got.steps)}`);
          assert.deepEqual(notChecked, [], 'an honest archive leaves no step unchecked');
        } else {
          assert.equal(failed[0], want.first, `${archive} fails first at ${want.first} in the page too: ${failed}`);
          assert.deepEqual(failed, want.rust_failed, `${archive}: the page fails the steps conclave verify fails`);
        }
        // Firefox names the navigation entry "document", Chromium by the page's URL.
        const navigation = got.navigation.filter((u) => u !== 'document');
        const outside = [...got.resources, ...navigation].filter((u) => !u.startsWith('file:'));
        assert.deepEqual(outside, [], `${archive}: nothing requested outside file:`);
      }
      t.diagnostic(rows.join('\n'));
    });
  });
}
