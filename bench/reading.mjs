// Reading benchmark (issue 5), in the real window under Xvfb: with a
// 150-candidate package imported, time (performance marks in the page, from
// the click to the rendered result) the candidate list, opening a candidate,
// and the first page of a 20-page PDF. Five runs each; median and max.
// Usage: bench/reading.sh (builds the package and the data folder first).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { binary, byTestId, freshDataDir, launch, startDriver } from '../tests/e2e/lib/app.mjs';

const pkg = process.argv[2];
const dataDir = freshDataDir('bench-reading');
execFileSync(binary, ['new-meeting', '阅卷基准', '--date', '2025-12-05'], { env: { ...process.env, CONCLAVE_DATA_DIR: dataDir } });
const db = execFileSync(binary, ['data-dir'], { env: { ...process.env, CONCLAVE_DATA_DIR: dataDir } }).toString().trim();
const meetingDb = execFileSync('bash', ['-c', `ls ${join(db, 'meetings')}/*/meeting.db`]).toString().trim();
execFileSync(binary, ['import', pkg, '--meeting', meetingDb], { stdio: 'ignore' });

const driver = await startDriver(dataDir);
const browser = await launch();

/** Clicks `selector` in the page and returns ms until `mark` is set. */
async function timed(selector, mark) {
  await browser.execute((sel, m) => {
    performance.clearMarks(m);
    window.__t0 = performance.now();
    document.querySelector(sel).click();
  }, selector, mark);
  await browser.waitUntil(() => browser.execute((m) => performance.getEntriesByName(m).length > 0, mark), { timeout: 30000 });
  return browser.execute((m) => performance.getEntriesByName(m)[0].startTime - window.__t0, mark);
}

const results = { list: [], candidate: [], pdf: [] };
for (let run = 0; run < 5; run++) {
  results.list.push(await timed('[data-testid="open-meeting"]', 'conclave:list-shown'));
  const rows = await browser.$$('[data-testid="candidate-row"]');
  if (rows.length !== 150) throw new Error(`expected 150 rows, saw ${rows.length}`);
  results.candidate.push(await timed('[data-testid="candidate-row"][data-id="BENCH-0001"] [data-testid="open-candidate"]', 'conclave:candidate-shown'));
  await byTestId(browser, 'achievements');
  results.pdf.push(await timed('[data-testid="open-evidence"]', 'conclave:pdf-page-rendered'));
  const phases = await browser.execute(() =>
    ['conclave:evidence-verified', 'conclave:pdf-loaded', 'conclave:pdf-page-rendered'].map(
      (m) => `${m.split(':')[1]} ${(performance.getEntriesByName(m).at(-1).startTime - window.__t0).toFixed(0)}`,
    ),
  );
  if (process.env.BENCH_VERBOSE) console.log(phases.join(' · '));
  await (await byTestId(browser, 'close-viewer')).click();
  await (await byTestId(browser, 'back')).click();
  await (await byTestId(browser, 'back')).click();
  await byTestId(browser, 'meeting-list');
}
await browser.deleteSession();
await driver.stop();

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};
console.log(`list of 150 candidates shown:   ${stat(results.list)}`);
console.log(`candidate page shown:           ${stat(results.candidate)}`);
console.log(`first page of a 20-page PDF:    ${stat(results.pdf)}`);
