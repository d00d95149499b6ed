// In-page half of bench/ballot.mjs (issue 28): the terminal's ballot code,
// today's path (encryptBallot on the main thread at 确认投票) against the
// Workers' path (each line encrypted as it is marked; sealing only hashes),
// with the main thread's long tasks (PerformanceObserver 'longtask', ≥ 50 ms).
import { ballotTracker, encryptBallot } from '../../ui/src/lib/ballot/ballot.js';
import { BallotMaker } from '../../ui/src/lib/ballot/maker';

const KEY = 'be1a5ee190386cec665e9e2e1702330247ce057ba495e37661de28f728a01256';
const CTX = { meeting_id: 'bench-meeting', round: 1 };
const CHOICES = ['for', 'against', 'abstain'];
const lines = (n) => Array.from({ length: n }, (_, i) => ['C' + String(i).padStart(4, '0'), CHOICES[i % 3]]);

let tasks = [];
new PerformanceObserver((list) => tasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
const longest = (from, to) =>
  Math.max(0, ...tasks.filter((t) => t.startTime + t.duration >= from && t.startTime <= to).map((t) => t.duration));
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

async function settled(maker) {
  while (maker.busy > 0) await new Promise((r) => setTimeout(r, 2));
}

window.bench = {
  /** Today: 确认投票 encrypts and proves everything on the main thread. */
  async today(n) {
    await frame();
    const t0 = performance.now();
    const ballot = encryptBallot(KEY, CTX, lines(n));
    const tracker = ballotTracker(ballot);
    const ms = performance.now() - t0;
    await frame();
    return { ms, longtask: longest(t0, performance.now()), tracker: tracker.short };
  },
  /**
   * The Workers: a member marks n lines (one every markEvery ms; 0: all at
   * once), then taps 确认投票 once they are encrypted: seal → tracker.
   */
  async workers(n, size, markEvery = 0) {
    const maker = new BallotMaker(KEY, size);
    // The Workers start and load the key before the member marks anything.
    maker.mark('warm-up', 'for');
    await settled(maker);
    maker.forget();
    await frame();
    const t0 = performance.now();
    const marks = Object.fromEntries(lines(n));
    for (const [c, ch] of Object.entries(marks)) {
      maker.mark(c, ch);
      if (markEvery) await new Promise((r) => setTimeout(r, markEvery));
    }
    await settled(maker);
    const encrypted = performance.now() - t0;
    await frame();
    const t1 = performance.now();
    const sealed = await maker.seal(CTX, marks);
    const seal = performance.now() - t1;
    await frame();
    const out = {
      encrypted,
      seal,
      lineMedian: [...maker.lineTimes].sort((a, b) => a - b)[Math.floor(maker.lineTimes.length / 2)],
      longtask: longest(t0, performance.now()),
      tracker: sealed.tracker.short,
    };
    maker.terminate();
    return out;
  },
};
document.getElementById('state').textContent = 'ready';
