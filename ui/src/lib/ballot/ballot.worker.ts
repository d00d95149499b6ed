// A Worker that encrypts and proves a member's ballot lines as they are
// marked (issue 28): all the point arithmetic of a line happens here when the
// line is marked, so sealing the ballot is only hashing and the page never
// freezes. The lines' randomness never leaves this Worker, except for a
// ballot the member audits (检验), which is then never cast.
import { lineEncryptor, randomnessOf, type Choice, type Context, type PreparedLine } from './ballot.js';

export type ToWorker =
  | { op: 'key'; key: string }
  | { op: 'mark'; candidate: string; choice: Choice; seq: number }
  | { op: 'finish'; id: number; ctx: Context; digest: Uint8Array; candidates: string[] }
  | { op: 'reveal'; id: number; candidates: string[] }
  | { op: 'forget' };

export type FromWorker =
  | { op: 'marked'; candidate: string; seq: number; wire: [Uint8Array, Uint8Array][]; ms: number }
  | { op: 'finished'; id: number; lines: import('./ballot.js').BallotLine[] }
  | { op: 'revealed'; id: number; randomness: import('./ballot.js').BallotRandomness }
  | { op: 'error'; id?: number; candidate?: string; seq?: number; message: string };

let encryptor: ReturnType<typeof lineEncryptor> | null = null;
let lines = new Map<string, PreparedLine>();

const reply = (m: FromWorker) => postMessage(m);

function pick(candidates: string[]): PreparedLine[] {
  return candidates.map((c) => {
    const line = lines.get(c);
    if (!line) throw new Error(`no encrypted line for candidate ${c}`);
    return line;
  });
}

onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    switch (m.op) {
      case 'key':
        encryptor = lineEncryptor(m.key);
        lines = new Map();
        break;
      case 'mark': {
        if (!encryptor) throw new Error('no key');
        const t0 = performance.now();
        const line = encryptor.prepare(m.candidate, m.choice);
        lines.set(m.candidate, line);
        reply({ op: 'marked', candidate: m.candidate, seq: m.seq, wire: line.wire, ms: performance.now() - t0 });
        break;
      }
      case 'finish':
        if (!encryptor) throw new Error('no key');
        reply({ op: 'finished', id: m.id, lines: encryptor.finish(m.ctx, m.digest, pick(m.candidates)) });
        break;
      case 'reveal': {
        // Released once: every line of this Worker is dropped, so nothing
        // whose randomness is known can be sent as a ballot afterwards.
        const randomness = randomnessOf(pick(m.candidates));
        lines = new Map();
        reply({ op: 'revealed', id: m.id, randomness });
        break;
      }
      case 'forget':
        lines = new Map();
        break;
    }
  } catch (err) {
    const where = m.op === 'mark' ? { candidate: m.candidate, seq: m.seq } : 'id' in m ? { id: m.id } : {};
    reply({ op: 'error', ...where, message: String(err instanceof Error ? err.message : err) });
  }
};
