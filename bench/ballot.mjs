// Ballot benchmark (issue 28): headless Chromium runs the terminal's ballot
// code, built by Vite as the terminal is, from a page on loopback. Per size
// (60 and 300 lines), today's path — encryptBallot + tracker on the main
// thread when 确认投票 is tapped — against the Workers' path — each line
// encrypted and proved in a Worker as it is marked, 确认投票 only seals
// (hashes) — and the longest main-thread task of each (PerformanceObserver
// 'longtask', which reports tasks of 50 ms or more; 0 means none).
// Usage: bench/ballot.sh
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from '../tests/e2e/lib/terminal.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'conclave-bench-ballot-'));
execFileSync('npx', ['vite', 'build', join(root, 'bench/ballot'), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
  cwd: join(root, 'ui'),
  stdio: 'inherit',
});
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
  try {
    const body = readFileSync(join(out, path));
    res.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const term = await chromium({ width: 1280, height: 900 });
const b = term.browser;
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const fmt = (x) => `${Math.round(x)} ms`;
try {
  await b.url(url);
  await b.waitUntil(() => b.execute(() => document.getElementById('state')?.textContent === 'ready'), { timeout: 30000 });
  const cores = await b.execute(() => navigator.hardwareConcurrency);
  console.log(`Chromium ${(await b.getCapabilities?.())?.browserVersion ?? ''}, navigator.hardwareConcurrency = ${cores}`);
  const runs = Number(process.env.RUNS ?? 3);
  for (const n of [60, 300]) {
    const today = [];
    const pool = [];
    const one = [];
    for (let i = 0; i < runs; i++) {
      today.push(await b.executeAsync((n, done) => window.bench.today(n).then(done), n));
      pool.push(await b.executeAsync((n, done) => window.bench.workers(n, undefined).then(done), n));
      one.push(await b.executeAsync((n, done) => window.bench.workers(n, 1).then(done), n));
    }
    console.log(`\n== ${n} lines (median of ${runs}; max in brackets)`);
    const row = (label, xs, key) => console.log(`${label.padEnd(58)} ${fmt(median(xs.map((x) => x[key])))} [${fmt(Math.max(...xs.map((x) => x[key])))}]`);
    row('today: 确认投票 → tracker (main thread encrypts)', today, 'ms');
    row('today: longest main-thread task', today, 'longtask');
    row('Workers (pool): encrypt+prove all lines, wall clock', pool, 'encrypted');
    row('Workers (pool): 确认投票 → tracker (seal only)', pool, 'seal');
    row('Workers (pool): longest main-thread task, marking + seal', pool, 'longtask');
    row('one Worker: encrypt+prove all lines, wall clock', one, 'encrypted');
    row('one Worker: 确认投票 → tracker (seal only)', one, 'seal');
    row('one Worker: median time per line', one, 'lineMedian');
  }
} finally {
  await term.close();
  server.close();
}
