// The terminal's side of the ballot Workers: each line is sent to a Worker
// when the member marks it (and again when they change it); sealing waits
// for the lines still being encrypted, hashes their ciphertexts into the
// digest every proof binds, and has each Worker finish its own lines.
// Several Workers share the lines on a tablet with several cores.
import { ballotTracker, ciphertextDigestOf, type Ballot, type BallotLine, type BallotRandomness, type Choice, type Context, type Tracker } from './ballot.js';
import type { FromWorker, ToWorker } from './ballot.worker';

interface Line {
  worker: number;
  choice: Choice;
  seq: number;
  /** The seq the Worker last answered, and that answer's ciphertexts. */
  done: number;
  wire: [Uint8Array, Uint8Array][] | null;
}

export interface Sealed {
  ballot: Ballot;
  tracker: Tracker;
}

export class BallotMaker {
  private workers: Worker[];
  private lines = new Map<string, Line>();
  private seq = 0;
  private next = 0;
  private waiters: (() => void)[] = [];
  private calls = new Map<number, { resolve: (v: FromWorker) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  /** Milliseconds each Worker spent per line, for the benchmark. */
  readonly lineTimes: number[] = [];

  constructor(publicKey: string, size = defaultSize()) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./ballot.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<FromWorker>) => this.answer(e.data);
      w.onerror = (e) => this.fail(new Error(e.message || 'ballot worker failed'));
      w.postMessage({ op: 'key', key: publicKey } satisfies ToWorker);
      return w;
    });
  }

  /** The member marked `choice` for `candidate`: encrypt it now, in a Worker. */
  mark(candidate: string, choice: Choice) {
    const line = this.lines.get(candidate);
    if (line && line.choice === choice) return;
    const worker = line?.worker ?? this.next++ % this.workers.length;
    const seq = ++this.seq;
    this.lines.set(candidate, { worker, choice, seq, done: line?.done ?? 0, wire: null });
    this.post(worker, { op: 'mark', candidate, choice, seq });
  }

  /** Lines still being encrypted. */
  get busy(): number {
    return [...this.lines.values()].filter((l) => l.done !== l.seq).length;
  }

  /**
   * The ballot of `choices` (every line must have been marked, or is marked
   * now): proofs finished by the Workers, tracker computed.
   */
  async seal(ctx: Context, choices: Record<string, Choice>): Promise<Sealed> {
    for (const [candidate, choice] of Object.entries(choices)) this.mark(candidate, choice);
    await this.settled();
    const chosen = Object.keys(choices).map((candidate) => {
      const line = this.lines.get(candidate)!;
      return { candidate, wire: line.wire!, worker: line.worker };
    });
    const { order, digest } = ciphertextDigestOf(chosen);
    const parts = await Promise.all(
      this.workers.map(async (_, i) => {
        const candidates = order.filter((c) => this.lines.get(c)!.worker === i);
        if (candidates.length === 0) return [] as BallotLine[];
        const a = await this.call(i, (id) => ({ op: 'finish', id, ctx, digest, candidates }));
        return a.op === 'finished' ? a.lines : [];
      }),
    );
    const byId = new Map(parts.flat().map((l) => [l.candidate, l]));
    const ballot: Ballot = { version: 1, lines: order.map((c) => byId.get(c)!) };
    return { ballot, tracker: ballotTracker(ballot) };
  }

  /**
   * 检验: the randomness of the sealed ballot's lines, released once; every
   * line is forgotten, so the next ballot is encrypted afresh.
   */
  async reveal(ballot: Ballot): Promise<BallotRandomness> {
    const parts = await Promise.all(
      this.workers.map(async (_, i) => {
        const candidates = ballot.lines.map((l) => l.candidate).filter((c) => this.lines.get(c)?.worker === i);
        const a = await this.call(i, (id) => ({ op: 'reveal', id, candidates }));
        return a.op === 'revealed' ? a.randomness.lines : [];
      }),
    );
    this.lines.clear();
    const byId = new Map(parts.flat().map((l) => [l.candidate, l]));
    return { lines: ballot.lines.map((l) => byId.get(l.candidate)!) };
  }

  /** After a cast: nothing of this ballot stays in the Workers. */
  forget() {
    this.lines.clear();
    for (let i = 0; i < this.workers.length; i++) this.post(i, { op: 'forget' });
  }

  terminate() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  private post(worker: number, m: ToWorker) {
    this.workers[worker].postMessage(m);
  }

  private call(worker: number, make: (id: number) => ToWorker): Promise<FromWorker> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.post(worker, make(id));
    });
  }

  private settled(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.busy === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => this.settled());
  }

  private answer(m: FromWorker) {
    if (m.op === 'marked') {
      const line = this.lines.get(m.candidate);
      if (line && line.seq === m.seq) {
        line.done = m.seq;
        line.wire = m.wire;
        this.lineTimes.push(m.ms);
      }
    } else if ('id' in m && m.id !== undefined && this.calls.has(m.id)) {
      const call = this.calls.get(m.id)!;
      this.calls.delete(m.id);
      if (m.op === 'error') call.reject(new Error(m.message));
      else call.resolve(m);
    } else if (m.op === 'error') {
      this.fail(new Error(m.message));
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private fail(e: Error) {
    this.failure = e;
    for (const c of this.calls.values()) c.reject(e);
    this.calls.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** One Worker per core beyond the page's own, two at least, four at most. */
function defaultSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(2, Math.min(4, cores - 1));
}
