import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BallotError,
  ballotTracker,
  boxRoot,
  canonicalBytes,
  encryptBallot,
  encryptPlaintexts,
  verifyBallot,
  type Ballot,
  type Choice,
  type Context,
} from './ballot.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { streamRandom } from './stream-random.js';

// The test vector made by the Rust crate (src-tauri/ballot/tests/ballot/vectors.rs).
const vector = JSON.parse(
  readFileSync(new URL('../../../../src-tauri/ballot/tests/vectors/ballot-v1.json', import.meta.url), 'utf8'),
) as {
  keys: { joint: string };
  context: Context;
  seed: string;
  choices: [string, Choice][];
  ballot: Ballot;
  canonical_bytes_len: number;
  tracker: string;
  tracker_short: string;
  box_root_of_this_ballot: string;
};

const pk = vector.keys.joint;
const ctx: Context = { meeting_id: 'meeting-js', round: 3 };
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function ballot(): Ballot {
  return encryptBallot(pk, ctx, [
    ['c-02', 'against'],
    ['c-01', 'for'],
    ['c-03', 'abstain'],
  ]);
}

const copy = (b: Ballot): Ballot => structuredClone(b);

function scalarHex(n: bigint): string {
  let hex = '';
  for (let i = 0; i < 32; i++) {
    hex += Number(n & 0xffn).toString(16).padStart(2, '0');
    n >>= 8n;
  }
  return hex;
}

function scalarOf(hex: string): bigint {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  return n;
}

function refusal(b: unknown, context: Context = ctx, key: string = pk): BallotError {
  try {
    verifyBallot(key, context, b);
  } catch (e) {
    if (e instanceof BallotError) return e;
    throw e;
  }
  throw new Error('the ballot was accepted but must be refused');
}

describe('the Rust test vector', () => {
  it('verifies and has the tracker Rust computed', () => {
    const tracker = verifyBallot(pk, vector.context, vector.ballot);
    expect(tracker).toEqual({ hex: vector.tracker, short: vector.tracker_short });
    expect(canonicalBytes(vector.ballot).length).toBe(vector.canonical_bytes_len);
    expect(boxRoot([vector.tracker])).toBe(vector.box_root_of_this_ballot);
  });

  it('is reproduced byte for byte from the same randomness', () => {
    const made = encryptBallot(pk, vector.context, vector.choices, { randomBytes: streamRandom(vector.seed) });
    expect(made).toEqual(vector.ballot);
  });
});

describe('an honest ballot', () => {
  it('verifies, sorted by candidate id, with a short tracker', () => {
    const b = ballot();
    expect(b.lines.map((l) => l.candidate)).toEqual(['c-01', 'c-02', 'c-03']);
    const tracker = verifyBallot(pk, ctx, JSON.parse(JSON.stringify(b)));
    expect(tracker.short).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(tracker.hex).toBe(ballotTracker(b).hex);
  });

  it('gets a different tracker each time it is encrypted', () => {
    expect(ballotTracker(ballot()).hex).not.toBe(ballotTracker(ballot()).hex);
  });

  it('sorts ids by UTF-8 bytes, as Rust does', () => {
    // UTF-16 code units would put '😀' (a surrogate pair, 0xD83D…) first; UTF-8 bytes
    // put it last (F0 9F… after EF BC A1 and EF BF BF).
    const b = encryptBallot(pk, ctx, [['\uffff', 'for'], ['😀', 'for'], ['Ａ', 'for']]);
    expect(b.lines.map((l) => l.candidate)).toEqual(['Ａ', '\uffff', '😀']);
    verifyBallot(pk, ctx, b);
  });
});

describe('refused ballots', () => {
  it('a tampered ciphertext', () => {
    const b = copy(ballot());
    [b.lines[1].options[0].b, b.lines[1].options[1].b] = [b.lines[1].options[1].b, b.lines[1].options[0].b];
    const e = refusal(b);
    // Every proof binds the digest of all ciphertexts, so the first one checked fails.
    expect([e.code, e.candidate, e.option]).toEqual(['zero_one_proof_fails', 'c-01', 'for']);
  });

  it('a line copied from another ballot', () => {
    const copier = copy(ballot());
    copier.lines[1] = structuredClone(ballot().lines[1]);
    expect([refusal(copier).code, refusal(copier).candidate]).toEqual(['zero_one_proof_fails', 'c-01']);
  });

  it('a tampered proof', () => {
    const b = copy(ballot());
    b.lines[2].options[2].proof.z1 = scalarHex((scalarOf(b.lines[2].options[2].proof.z1) + 1n) % L);
    expect(refusal(b).code).toBe('zero_one_proof_fails');
    const s = copy(ballot());
    s.lines[0].sum_proof.c = scalarHex((scalarOf(s.lines[0].sum_proof.c) + 1n) % L);
    expect([refusal(s).code, refusal(s).candidate]).toEqual(['sum_proof_fails', 'c-01']);
  });

  it('a line moved to another candidate', () => {
    const b = copy(ballot());
    [b.lines[0].options, b.lines[1].options] = [b.lines[1].options, b.lines[0].options];
    [b.lines[0].sum_proof, b.lines[1].sum_proof] = [b.lines[1].sum_proof, b.lines[0].sum_proof];
    expect([refusal(b).code, refusal(b).candidate]).toEqual(['zero_one_proof_fails', 'c-01']);
  });

  it('a ballot of another round or meeting', () => {
    const b = ballot();
    expect(refusal(b, { ...ctx, round: 4 }).code).toBe('zero_one_proof_fails');
    expect(refusal(b, { ...ctx, meeting_id: 'other' }).code).toBe('zero_one_proof_fails');
  });

  it('duplicated and unsorted lines', () => {
    const b = copy(ballot());
    b.lines.splice(1, 0, structuredClone(b.lines[0]));
    expect(refusal(b).code).toBe('duplicate_candidate');
    const u = copy(ballot());
    u.lines.reverse();
    expect(refusal(u).code).toBe('lines_out_of_order');
  });

  it('invalid points, non-canonical scalars, unknown fields, uppercase hex', () => {
    const p = copy(ballot());
    p.lines[1].options[2].a = 'ff'.repeat(32);
    expect([refusal(p).code, refusal(p).part]).toEqual(['invalid_point', 'abstain.a']);
    const s = copy(ballot());
    s.lines[0].options[1].proof.z0 = scalarHex(scalarOf(s.lines[0].options[1].proof.z0) + L);
    expect([refusal(s).code, refusal(s).part]).toEqual(['non_canonical_scalar', 'against.proof.z0']);
    const extra = JSON.parse(JSON.stringify(ballot()));
    extra.lines[0].extra = 1;
    expect(refusal(extra).code).toBe('malformed');
    const upper = copy(ballot());
    upper.lines[0].options[0].a = upper.lines[0].options[0].a.toUpperCase();
    expect(refusal(upper).code).toBe('malformed');
  });

  it('a ciphertext whose first component is the identity (r = 0), before any proof is checked', () => {
    // With r = 0 the ciphertext is (identity, m·G): the choice in the clear. A broken
    // sum proof on the first line would be checked first; the identity is named instead.
    const b = copy(ballot());
    b.lines[0].sum_proof.z = scalarHex((scalarOf(b.lines[0].sum_proof.z) + 1n) % L);
    b.lines[2].options[1].a = '00'.repeat(32);
    const e = refusal(b);
    expect([e.code, e.candidate, e.option, e.part]).toEqual(['identity_ciphertext', 'c-03', 'against', 'against.a']);
    expect(e.message).toContain('identity');
  });

  it('ballots that encrypt anything but exactly one 1 per line', () => {
    const cases: [number[], string, Choice | undefined][] = [
      [[2, 0, -1], 'zero_one_proof_fails', 'for'],
      [[1, -1, 1], 'zero_one_proof_fails', 'against'],
      [[0, 0, 0], 'sum_proof_fails', undefined],
      [[1, 1, 0], 'sum_proof_fails', undefined],
    ];
    for (const [values, code, option] of cases) {
      const e = refusal(encryptPlaintexts(pk, ctx, [['m', values]]));
      expect([e.code, e.option], `plaintexts ${values}`).toEqual([code, option]);
    }
    verifyBallot(pk, ctx, encryptPlaintexts(pk, ctx, [['m', [0, 0, 1]]]));
  });
});

describe('encryption', () => {
  it('draws a zero randomness again, so no ciphertext has the identity as its first component', () => {
    // The first 64 bytes asked for are zeros: the first r (c-01, for) would be 0.
    let zeros = 64;
    const random = (n: number): Uint8Array => {
      const out = randomBytes(n);
      const k = Math.min(zeros, n);
      out.fill(0, 0, k);
      zeros -= k;
      return out;
    };
    const b = encryptBallot(pk, ctx, [['c-01', 'for'], ['c-02', 'against']], { randomBytes: random });
    expect(zeros, 'the zero draw happened').toBe(0);
    for (const line of b.lines) for (const o of line.options) expect(o.a).not.toBe('00'.repeat(32));
    verifyBallot(pk, ctx, b);
  });
});
