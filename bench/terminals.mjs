// Terminal reading benchmark (issue 15): `conclave serve` (release) on
// loopback TLS with a 150-candidate package whose first candidate's first
// file is a scanned PDF (40 pages, about 20 MB, linearized); headless
// Chromium as a member's terminal. Five runs each, median and max, from
// performance marks in the page:
//   agenda of 150 candidates — a reload of the terminal page until the list is drawn;
//   first page of the scanned PDF — from the click until page 1 is rendered.
// References in the same run: curl fetching the agenda JSON, and curl
// fetching the whole PDF, over the same TLS with the same session.
// Usage: bench/terminals.sh (builds the package and the binary first).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardLinks, chromium } from '../tests/e2e/lib/terminal.mjs';

const [pkg, roster, binary] = process.argv.slice(2);
const dataDir = mkdtempSync(join(tmpdir(), 'conclave-bench-terminals-'));
const env = { ...process.env, CONCLAVE_DATA_DIR: dataDir };
const run = (...args) => execFileSync(binary, args, { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
run('new-meeting', '终端基准', '--date', '2025-12-05');
const db = join(dataDir, 'meetings', readdirSync(join(dataDir, 'meetings'))[0], 'meeting.db');
run('import', pkg, '--meeting', db);
run('import', roster, '--meeting', db);
const port = 30000 + Math.floor(Math.random() * 20000);
const base = `https://127.0.0.1:${port}`;
const cards = join(dataDir, 'cards.pdf');
run('print', 'terminal-cards', '--meeting', db, '--url', `${base}/t/`, '--out', cards);
const link = Object.values(cardLinks(cards))[0];

const host = spawn(binary, ['serve', '--meeting', db, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => host.stdout.once('data', resolve));
const term = await chromium({ width: 1280, height: 900 });
const browser = term.browser;
try {
  await browser.url(link);
  await (await browser.$('[data-testid="terminal-confirm-button"]')).click();
  await browser.$('[data-testid="open-candidate"]').then((e) => e.waitForExist({ timeout: 30000 }));
  const cookie = (await browser.getCookies()).map((c) => `${c.name}=${c.value}`).join('; ');

  const curl = (path) => {
    const t0 = performance.now();
    execFileSync('curl', ['-sk', '-o', '/dev/null', '-H', `Cookie: ${cookie}`, `${base}${path}`]);
    return performance.now() - t0;
  };

  const results = { agenda: [], agendaCurl: [], pdf: [], pdfCurl: [] };
  let sha = null;
  for (let i = 0; i < 5; i++) {
    await browser.refresh();
    await browser.waitUntil(() => browser.execute(() => performance.getEntriesByName('conclave:agenda-shown').length > 0), { timeout: 30000 });
    results.agenda.push(await browser.execute(() => performance.getEntriesByName('conclave:agenda-shown')[0].startTime));
    const rows = await browser.$$('[data-testid="candidate-row"]');
    if (rows.length !== 150) throw new Error(`expected 150 rows, saw ${rows.length}`);
    results.agendaCurl.push(curl('/api/t/agenda'));

    await (await browser.$('[data-testid="candidate-row"][data-id="BENCH-0001"] [data-testid="open-candidate"]')).click();
    const first = await browser.$('[data-testid="open-evidence"]');
    await first.waitForExist({ timeout: 30000 });
    sha ??= await first.getAttribute('data-sha256');
    await browser.execute(() => {
      performance.clearMarks('conclave:pdf-page-rendered');
      window.__t0 = performance.now();
      document.querySelector('[data-testid="open-evidence"]').click();
    });
    await browser.waitUntil(() => browser.execute(() => performance.getEntriesByName('conclave:pdf-page-rendered').length > 0), { timeout: 60000 });
    results.pdf.push(await browser.execute(() => performance.getEntriesByName('conclave:pdf-page-rendered')[0].startTime - window.__t0));
    if (sha) results.pdfCurl.push(curl(`/api/t/evidence/${sha}`));
    await (await browser.$('[data-testid="close-viewer"]')).click();
  }
  const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
  };
  const line = (label, xs, ref, target) => {
    const a = stat(xs);
    const r = ref.length ? stat(ref) : null;
    console.log(
      `${label}: median ${a.median.toFixed(0)} ms, max ${a.max.toFixed(0)} ms (target ${target} ms: ${(a.max / target).toFixed(2)} of it)` +
        (r ? `; curl reference median ${r.median.toFixed(0)} ms, terminal ÷ curl ${(a.median / r.median).toFixed(2)}` : ''),
    );
  };
  line('agenda of 150 candidates on the terminal', results.agenda, results.agendaCurl, 300);
  line('first page of the 40-page scanned PDF   ', results.pdf, results.pdfCurl, 1500);
} finally {
  await term.close();
  host.kill('SIGTERM');
}
