// The browser's half of Conclave's verifiable ballot: encrypt and prove a
// ballot, verify one, compute its tracker. It is the same protocol, byte for
// byte, as the Rust crate `conclave-ballot` (src-tauri/ballot); the layouts
// are specified in docs/ballot-protocol.md and pinned by the shared test
// vector src-tauri/ballot/tests/vectors/ballot-v1.json.
//
// Plain ES module with JSDoc (types in ballot.d.ts) so that Node runs it
// as-is in the Rust interoperability test, and the UI imports it unchanged.

import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { randomBytes as osRandomBytes } from '@noble/hashes/utils.js';

const Point = ristretto255.Point;
const G = Point.BASE;
/** The group order ℓ. */
const L = Point.Fn.ORDER;
const PROTOCOL = utf8('conclave-ballot/v1');
export const BALLOT_VERSION = 1;
export const MAX_CANDIDATE_ID_BYTES = 256;
/** @type {readonly ['for', 'against', 'abstain']} */
export const CHOICES = ['for', 'against', 'abstain'];
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** @typedef {InstanceType<typeof Point>} RPoint */
/** @typedef {import('./ballot').Ballot} Ballot */
/** @typedef {import('./ballot').BallotLine} BallotLine */
/** @typedef {import('./ballot').Context} Context */
/** @typedef {import('./ballot').Choice} Choice */
/** @typedef {import('./ballot').Tracker} Tracker */
/** @typedef {import('./ballot').BallotRandomness} BallotRandomness */

/** A refused ballot; `code` matches the Rust `BallotError` variant in snake_case. */
export class BallotError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ candidate?: string, part?: string, option?: Choice }} [where]
   */
  constructor(code, message, where = {}) {
    super(where.candidate === undefined ? message : `candidate ${JSON.stringify(where.candidate)}: ${message}`);
    this.name = 'BallotError';
    this.code = code;
    this.candidate = where.candidate;
    this.part = where.part;
    this.option = where.option;
  }
}

// ---- bytes, fields, transcript -------------------------------------------

/** @param {string} s */
function utf8(s) {
  return new TextEncoder().encode(s);
}

/** @param {Uint8Array} bytes */
function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Strict: exactly 64 lowercase hex digits. @param {unknown} s @param {string} what */
function fromHex32(s, what) {
  if (typeof s !== 'string' || !/^[0-9a-f]{64}$/.test(s)) {
    throw new BallotError('malformed', `${what}: expected 64 lowercase hex digits`);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** @param {number} n */
function u32be(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** Appends `u32 big-endian length || bytes`. @param {Uint8Array[]} out @param {Uint8Array} bytes */
function putField(out, bytes) {
  out.push(u32be(bytes.length), bytes);
}

/** @param {Uint8Array[]} parts */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Fiat–Shamir: SHA-512 over length-prefixed fields, protocol tag then label. */
class Transcript {
  /** @param {string} label */
  constructor(label) {
    this.h = sha512.create();
    this.field(PROTOCOL);
    this.field(utf8(label));
  }
  /** @param {Uint8Array} bytes */
  field(bytes) {
    this.h.update(u32be(bytes.length));
    this.h.update(bytes);
  }
  /** @param {RPoint} p */
  point(p) {
    this.field(p.toBytes());
  }
  /** @param {Context} ctx */
  context(ctx) {
    this.field(utf8(ctx.meeting_id));
    this.field(u32be(ctx.round));
  }
  /** The digest read little-endian, reduced mod ℓ. */
  challenge() {
    return leToBigint(this.h.digest()) % L;
  }
}

// ---- scalars and points --------------------------------------------------

/** @param {Uint8Array} bytes */
function leToBigint(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** @param {bigint} n */
function scalarBytes(n) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** @param {bigint} n */
const mod = (n) => ((n % L) + L) % L;

/** A uniform scalar: 64 random bytes, little-endian, mod ℓ (as Rust's `Scalar::random`). @param {(n: number) => Uint8Array} random */
function randomScalar(random) {
  return leToBigint(random(64)) % L;
}

/**
 * A ciphertext's randomness: uniform and nonzero. With r = 0 the ciphertext is
 * (identity, m·G), the choice in the clear, which verifiers refuse; a zero
 * draw is drawn again at once (as the Rust encryptor does).
 * @param {(n: number) => Uint8Array} random
 */
function randomNonzeroScalar(random) {
  for (;;) {
    const r = randomScalar(random);
    if (r !== 0n) return r;
  }
}

/** Constant-time multiplication for secrets; noble refuses 0, which is the identity. @param {RPoint} p @param {bigint} k */
function mulSecret(p, k) {
  return k === 0n ? Point.ZERO : p.multiply(k);
}

/** @param {Uint8Array} bytes @returns {RPoint | null} */
function decodePoint(bytes) {
  try {
    return Point.fromBytes(bytes);
  } catch {
    return null;
  }
}

/** @param {Uint8Array} bytes @returns {bigint | null} */
function decodeScalar(bytes) {
  const n = leToBigint(bytes);
  return n < L ? n : null;
}

/** @param {string} hex */
function readPublicKey(hex) {
  const p = decodePoint(fromHex32(hex, 'public key'));
  if (p === null || p.is0()) throw new BallotError('invalid_public_key', 'not a valid public key');
  return p;
}

/** @param {Context} ctx */
function checkContext(ctx) {
  if (typeof ctx?.meeting_id !== 'string' || !Number.isInteger(ctx.round) || ctx.round < 0 || ctx.round > 0xffffffff) {
    throw new BallotError('malformed', 'context must be { meeting_id: string, round: u32 }');
  }
}

/** Byte order of UTF-8, as Rust's `str` ordering. @param {string} x @param {string} y */
function compareIds(x, y) {
  const a = utf8(x);
  const b = utf8(y);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** @param {number} line @param {unknown} candidate */
function checkCandidate(line, candidate) {
  if (typeof candidate !== 'string') throw new BallotError('malformed', `line ${line}: candidate must be a string`);
  if (candidate.length === 0) throw new BallotError('empty_candidate', `ballot line ${line}: the candidate id is empty`);
  if (utf8(candidate).length > MAX_CANDIDATE_ID_BYTES) {
    throw new BallotError('candidate_too_long', `the id is longer than ${MAX_CANDIDATE_ID_BYTES} bytes`, { candidate });
  }
}

// ---- transcripts (docs/ballot-protocol.md, "Transcripts") -----------------

/** The wire bytes (a, b) of a line's three ciphertexts. @typedef {[Uint8Array, Uint8Array][]} LineBytes */

/**
 * SHA-512 over fields "conclave-ballot/v1", "ballot-ciphertexts", the line
 * count, then per line the candidate id and a, b of each option. Every proof
 * binds it, so a line copied into another ballot does not verify there.
 * @param {[string, LineBytes][]} lines
 */
function ciphertextDigest(lines) {
  /** @type {Uint8Array[]} */
  const out = [];
  putField(out, PROTOCOL);
  putField(out, utf8('ballot-ciphertexts'));
  putField(out, u32be(lines.length));
  for (const [candidate, cts] of lines) {
    putField(out, utf8(candidate));
    for (const [a, b] of cts) {
      putField(out, a);
      putField(out, b);
    }
  }
  return sha512(concat(out));
}

/**
 * @param {Context} ctx @param {Uint8Array} digest @param {string} candidate @param {number} option
 * @param {Uint8Array} yBytes @param {[Uint8Array, Uint8Array]} ct
 */
function zeroOneTranscript(ctx, digest, candidate, option, yBytes, [a, b]) {
  const t = new Transcript('zero-or-one');
  t.context(ctx);
  t.field(digest);
  t.field(utf8(candidate));
  t.field(Uint8Array.of(option));
  t.field(yBytes);
  t.field(a);
  t.field(b);
  return t;
}

/** @param {Context} ctx @param {Uint8Array} digest @param {string} candidate @param {Uint8Array} yBytes @param {LineBytes} cts */
function sumTranscript(ctx, digest, candidate, yBytes, cts) {
  const t = new Transcript('sum-to-one');
  t.context(ctx);
  t.field(digest);
  t.field(utf8(candidate));
  t.field(yBytes);
  for (const [a, b] of cts) {
    t.field(a);
    t.field(b);
  }
  return t;
}

// ---- encryption ------------------------------------------------------------

/**
 * Encrypts and proves a ballot; lines may come in any order and are sorted by
 * candidate id. `opts.randomBytes` replaces the OS generator (test vectors only).
 * @param {string} publicKeyHex
 * @param {Context} ctx
 * @param {[string, Choice][]} choices
 * @param {{ randomBytes?: (n: number) => Uint8Array }} [opts]
 * @returns {Ballot}
 */
export function encryptBallot(publicKeyHex, ctx, choices, opts = {}) {
  /** @type {[string, number[]][]} */
  const lines = choices.map(([candidate, choice]) => {
    const k = CHOICES.indexOf(choice);
    if (k < 0) throw new BallotError('malformed', `unknown choice ${JSON.stringify(choice)}`, { candidate });
    return [candidate, CHOICES.map((_, i) => (i === k ? 1 : 0))];
  });
  return encryptPlaintexts(publicKeyHex, ctx, lines, opts);
}

/**
 * `encryptBallot` with arbitrary integer plaintexts per option, proven as an
 * honest prover would: for tests that such ballots are refused.
 * @param {string} publicKeyHex
 * @param {Context} ctx
 * @param {[string, number[]][]} lines
 * @param {{ randomBytes?: (n: number) => Uint8Array }} [opts]
 * @returns {Ballot}
 */
export function encryptPlaintexts(publicKeyHex, ctx, lines, opts = {}) {
  const random = opts.randomBytes ?? osRandomBytes;
  checkContext(ctx);
  const y = readPublicKey(publicKeyHex);
  y.precompute(8, false);
  const sorted = sortLines(lines);
  // The draws of section 6.4: first every line's randomness (and ciphertexts),
  // then every line's proof nonces; the digest and the challenges last.
  const encrypted = sorted.map(([candidate, values]) => encryptLine(y, candidate, values, random));
  const prepared = encrypted.map((line) => commitLine(y, line, random));
  return finishBallot(y.toBytes(), ctx, prepared);
}

/** @template {[string, unknown]} T @param {T[]} lines */
function sortLines(lines) {
  const sorted = [...lines].sort((p, q) => compareIds(p[0], q[0]));
  sorted.forEach(([candidate], i) => {
    checkCandidate(i, candidate);
    if (i > 0 && sorted[i - 1][0] === candidate) {
      throw new BallotError('duplicate_candidate', 'more than one line', { candidate });
    }
  });
  return sorted;
}

/**
 * @typedef {{ candidate: string, values: number[], ms: bigint[], rs: bigint[], wire: LineBytes }} EncryptedLine
 * @typedef {{ real: number, w: bigint, cFake: bigint, zFake: bigint, commits: Uint8Array[] }} OptionCommit
 * @typedef {EncryptedLine & { options: OptionCommit[], sum: { w: bigint, commits: Uint8Array[] } }} PreparedLine
 */

/**
 * A line's randomness r_0, r_1, r_2 and its three ciphertexts.
 * @param {RPoint} y @param {string} candidate @param {number[]} values @param {(n: number) => Uint8Array} random
 * @returns {EncryptedLine}
 */
function encryptLine(y, candidate, values, random) {
  const ms = values.map((v) => mod(BigInt(v)));
  const rs = ms.map(() => randomNonzeroScalar(random));
  const cts = ms.map((m, k) => ({ a: mulSecret(G, rs[k]), b: mulSecret(G, m).add(mulSecret(y, rs[k])) }));
  /** @type {LineBytes} */
  const wire = cts.map((ct) => [ct.a.toBytes(), ct.b.toBytes()]);
  return { candidate, values, ms, rs, wire };
}

/**
 * Every commitment of a line's proofs: all of the line's point arithmetic,
 * none of which depends on the other lines (only the challenges do, through
 * the ciphertext digest). Draws (w, c_f, z_f) for each option, then the sum
 * proof's w, as the Rust prover.
 * @param {RPoint} y @param {EncryptedLine} line @param {(n: number) => Uint8Array} random
 * @returns {PreparedLine}
 */
function commitLine(y, line, random) {
  const options = line.wire.map((_, k) => {
    const real = line.values[k] === 1 ? 1 : 0;
    const fake = 1 - real;
    const w = randomScalar(random);
    const cFake = randomScalar(random);
    const zFake = randomScalar(random);
    /** @type {RPoint[][]} */
    const commits = [[], []];
    commits[real] = [mulSecret(G, w), mulSecret(y, w)];
    // The simulated branch, z·G − c·a and z·Y − c·(b − j·G), rewritten with a = r·G and
    // b − j·G = (m − j)·G + r·Y so that only G and Y are multiplied: the same points.
    const e = mod(zFake - line.rs[k] * cFake);
    commits[fake] = [mulSecret(G, e), mulSecret(y, e).subtract(mulSecret(G, mod((line.ms[k] - BigInt(fake)) * cFake)))];
    return { real, w, cFake, zFake, commits: commits.flat().map((p) => p.toBytes()) };
  });
  const w = randomScalar(random);
  return { ...line, options, sum: { w, commits: [mulSecret(G, w).toBytes(), mulSecret(y, w).toBytes()] } };
}

/**
 * The challenges and responses of every line (hashing and scalar arithmetic
 * only), for lines already in ballot order.
 * @param {Uint8Array} yBytes @param {Context} ctx @param {PreparedLine[]} lines
 * @returns {Ballot}
 */
function finishBallot(yBytes, ctx, lines) {
  const digest = ciphertextDigest(lines.map((p) => [p.candidate, p.wire]));
  return { version: BALLOT_VERSION, lines: lines.map((p) => finishLine(yBytes, ctx, digest, p)) };
}

/**
 * @param {Uint8Array} yBytes @param {Context} ctx @param {Uint8Array} digest @param {PreparedLine} line
 * @returns {BallotLine}
 */
function finishLine(yBytes, ctx, digest, { candidate, rs, wire, options: commits, sum }) {
  const hex = (/** @type {bigint} */ n) => toHex(scalarBytes(n));
  const options = wire.map((ct, k) => {
    const { real, w, cFake, zFake } = commits[k];
    const fake = 1 - real;
    const t = zeroOneTranscript(ctx, digest, candidate, k, yBytes, ct);
    for (const point of commits[k].commits) t.field(point);
    const c = t.challenge();
    const cs = [0n, 0n];
    const zs = [0n, 0n];
    cs[fake] = cFake;
    zs[fake] = zFake;
    cs[real] = mod(c - cFake);
    zs[real] = mod(w + cs[real] * rs[k]);
    return {
      a: toHex(ct[0]),
      b: toHex(ct[1]),
      proof: { c0: hex(cs[0]), c1: hex(cs[1]), z0: hex(zs[0]), z1: hex(zs[1]) },
    };
  });
  const rSum = mod(rs[0] + rs[1] + rs[2]);
  const t = sumTranscript(ctx, digest, candidate, yBytes, wire);
  for (const point of sum.commits) t.field(point);
  const c = t.challenge();
  const z = mod(sum.w + c * rSum);
  return {
    candidate,
    options: /** @type {BallotLine['options']} */ (options),
    sum_proof: { c: hex(c), z: hex(z) },
  };
}

/**
 * Encrypts a ballot a line at a time, as the member marks it (a terminal's
 * Workers): `prepare` does all of a line's point arithmetic, `finish` only
 * hashes, given the digest of the whole ballot's ciphertexts
 * (`ciphertextDigestOf`). The randomness stays in the prepared lines; it
 * leaves them only for a ballot the member audits (检验) instead of casting.
 * @param {string} publicKeyHex
 * @param {{ randomBytes?: (n: number) => Uint8Array }} [opts]
 */
export function lineEncryptor(publicKeyHex, opts = {}) {
  const random = opts.randomBytes ?? osRandomBytes;
  const y = readPublicKey(publicKeyHex);
  y.precompute(8, false);
  const yBytes = y.toBytes();
  return {
    /** @param {string} candidate @param {Choice} choice @returns {PreparedLine} */
    prepare(candidate, choice) {
      checkCandidate(0, candidate);
      const k = CHOICES.indexOf(choice);
      if (k < 0) throw new BallotError('malformed', `unknown choice ${JSON.stringify(choice)}`, { candidate });
      const values = CHOICES.map((_, i) => (i === k ? 1 : 0));
      return commitLine(y, encryptLine(y, candidate, values, random), random);
    },
    /**
     * The lines' challenges and responses under `digest` (of all the ballot's lines).
     * @param {Context} ctx @param {Uint8Array} digest @param {PreparedLine[]} lines
     * @returns {BallotLine[]}
     */
    finish(ctx, digest, lines) {
      checkContext(ctx);
      return lines.map((l) => finishLine(yBytes, ctx, digest, l));
    },
    /** The whole ballot in one thread. @param {Context} ctx @param {PreparedLine[]} lines */
    seal(ctx, lines) {
      const { order, digest } = ciphertextDigestOf(lines);
      const byId = new Map(lines.map((l) => [l.candidate, l]));
      const sorted = order.map((id) => /** @type {PreparedLine} */ (byId.get(id)));
      return { ballot: { version: BALLOT_VERSION, lines: this.finish(ctx, digest, sorted) }, randomness: randomnessOf(sorted) };
    },
  };
}

/**
 * The released randomness of prepared lines, in their order.
 * @param {{ candidate: string, rs: bigint[] }[]} lines
 * @returns {BallotRandomness}
 */
export function randomnessOf(lines) {
  const hex = (/** @type {bigint} */ n) => toHex(scalarBytes(n));
  return { lines: lines.map((l) => ({ candidate: l.candidate, r: /** @type {[string, string, string]} */ (l.rs.map(hex)) })) };
}

/**
 * The ballot order of lines (by the UTF-8 bytes of their ids, refusing
 * duplicates) and the digest of their ciphertexts, which every proof binds.
 * @param {{ candidate: string, wire: LineBytes }[]} lines
 * @returns {{ order: string[], digest: Uint8Array }}
 */
export function ciphertextDigestOf(lines) {
  const sorted = sortLines(lines.map((l) => /** @type {[string, LineBytes]} */ ([l.candidate, l.wire])));
  return { order: sorted.map(([id]) => id), digest: ciphertextDigest(sorted) };
}

// ---- verification ----------------------------------------------------------

/** @param {unknown} value @param {string[]} keys @param {string} what */
function exactObject(value, keys, what) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BallotError('malformed', `${what}: expected an object`);
  }
  const got = Object.keys(value).sort();
  if (got.join(',') !== [...keys].sort().join(',')) {
    throw new BallotError('malformed', `${what}: expected exactly the fields ${keys.join(', ')}`);
  }
  return /** @type {Record<string, unknown>} */ (value);
}

/**
 * Checks the shape of parsed JSON as strictly as the Rust reader (no unknown
 * fields, lowercase 64-digit hex) and returns it typed.
 * @param {unknown} json
 * @returns {Ballot}
 */
export function parseBallot(json) {
  const top = exactObject(json, ['version', 'lines'], 'ballot');
  if (typeof top.version !== 'number' || !Number.isInteger(top.version)) throw new BallotError('malformed', 'version');
  if (!Array.isArray(top.lines)) throw new BallotError('malformed', 'lines: expected an array');
  top.lines.forEach((raw, i) => {
    const line = exactObject(raw, ['candidate', 'options', 'sum_proof'], `line ${i}`);
    if (typeof line.candidate !== 'string') throw new BallotError('malformed', `line ${i}: candidate`);
    if (!Array.isArray(line.options) || line.options.length !== 3) {
      throw new BallotError('malformed', `line ${i}: expected three options`);
    }
    line.options.forEach((rawOption, k) => {
      const option = exactObject(rawOption, ['a', 'b', 'proof'], `line ${i} option ${k}`);
      fromHex32(option.a, `line ${i} option ${k} a`);
      fromHex32(option.b, `line ${i} option ${k} b`);
      const proof = exactObject(option.proof, ['c0', 'c1', 'z0', 'z1'], `line ${i} option ${k} proof`);
      for (const key of ['c0', 'c1', 'z0', 'z1']) fromHex32(proof[key], `line ${i} option ${k} ${key}`);
    });
    const sum = exactObject(line.sum_proof, ['c', 'z'], `line ${i} sum_proof`);
    fromHex32(sum.c, `line ${i} sum_proof c`);
    fromHex32(sum.z, `line ${i} sum_proof z`);
  });
  return /** @type {Ballot} */ (json);
}

/**
 * Verifies every encoding and proof of a ballot (parsed JSON) for the public
 * key and context; returns its tracker or throws a `BallotError`.
 * @param {string} publicKeyHex
 * @param {Context} ctx
 * @param {unknown} json
 * @returns {Tracker}
 */
export function verifyBallot(publicKeyHex, ctx, json) {
  checkContext(ctx);
  const y = readPublicKey(publicKeyHex);
  y.precompute(8, false);
  const ballot = parseBallot(json);
  if (ballot.version !== BALLOT_VERSION) {
    throw new BallotError('unsupported_version', `unsupported ballot version ${ballot.version}`);
  }
  // Structure first, then every encoding, then every proof (as the Rust verifier).
  ballot.lines.forEach((line, i) => {
    const candidate = line.candidate;
    checkCandidate(i, candidate);
    if (i > 0) {
      const order = compareIds(ballot.lines[i - 1].candidate, candidate);
      if (order === 0) throw new BallotError('duplicate_candidate', 'more than one line', { candidate });
      if (order > 0) throw new BallotError('lines_out_of_order', 'lines are not in ascending order', { candidate });
    }
  });
  const decoded = ballot.lines.map(decodeLine);
  const digest = ciphertextDigest(decoded.map((d, i) => [ballot.lines[i].candidate, d.wire]));
  const yBytes = y.toBytes();
  ballot.lines.forEach((line, i) => verifyLine(y, yBytes, ctx, digest, line.candidate, decoded[i]));
  return ballotTracker(ballot);
}

/**
 * @typedef {{ wire: LineBytes, cts: { a: RPoint, b: RPoint }[], zeroOne: { c: bigint[], z: bigint[] }[], sum: { c: bigint, z: bigint } }} Decoded
 */

/** @param {BallotLine} line @returns {Decoded} */
function decodeLine(line) {
  const candidate = line.candidate;
  /** @param {Uint8Array} bytes @param {string} part */
  const point = (bytes, part) => {
    const p = decodePoint(bytes);
    if (p === null) throw new BallotError('invalid_point', `${part} is not a canonical ristretto255 point`, { candidate, part });
    return p;
  };
  /** @param {string} hex @param {string} part */
  const scalar = (hex, part) => {
    const n = decodeScalar(fromHex32(hex, part));
    if (n === null) throw new BallotError('non_canonical_scalar', `${part} is not a canonical scalar`, { candidate, part });
    return n;
  };
  /** @type {LineBytes} */
  const wire = line.options.map((o) => [fromHex32(o.a, 'a'), fromHex32(o.b, 'b')]);
  const cts = [];
  const zeroOne = [];
  for (let k = 0; k < 3; k++) {
    const name = CHOICES[k];
    const a = point(wire[k][0], `${name}.a`);
    if (a.is0()) {
      // r = 0: b = m·G shows the choice to anyone. Its proofs would hold, so
      // it is refused here, before any proof is checked.
      throw new BallotError(
        'identity_ciphertext',
        `option "${name}" has the identity as its first component (r = 0 would show the choice in the clear)`,
        { candidate, part: `${name}.a`, option: name },
      );
    }
    cts.push({ a, b: point(wire[k][1], `${name}.b`) });
    const p = line.options[k].proof;
    zeroOne.push({
      c: [scalar(p.c0, `${name}.proof.c0`), scalar(p.c1, `${name}.proof.c1`)],
      z: [scalar(p.z0, `${name}.proof.z0`), scalar(p.z1, `${name}.proof.z1`)],
    });
  }
  const sum = { c: scalar(line.sum_proof.c, 'sum_proof.c'), z: scalar(line.sum_proof.z, 'sum_proof.z') };
  return { wire, cts, zeroOne, sum };
}

/**
 * @param {RPoint} y @param {Uint8Array} yBytes @param {Context} ctx @param {Uint8Array} digest
 * @param {string} candidate @param {Decoded} line
 */
function verifyLine(y, yBytes, ctx, digest, candidate, { wire, cts, zeroOne, sum }) {
  cts.forEach(({ a, b }, k) => {
    const { c, z } = zeroOne[k];
    const t = zeroOneTranscript(ctx, digest, candidate, k, yBytes, wire[k]);
    for (const j of [0, 1]) {
      const shifted = j === 0 ? b : b.subtract(G);
      t.point(G.multiplyUnsafe(z[j]).subtract(a.multiplyUnsafe(c[j])));
      t.point(y.multiplyUnsafe(z[j]).subtract(shifted.multiplyUnsafe(c[j])));
    }
    if (t.challenge() !== mod(c[0] + c[1])) {
      const option = CHOICES[k];
      throw new BallotError('zero_one_proof_fails', `the proof that option "${option}" is 0 or 1 fails`, {
        candidate,
        option,
      });
    }
  });
  const u = cts[0].a.add(cts[1].a).add(cts[2].a);
  const v = cts[0].b.add(cts[1].b).add(cts[2].b).subtract(G);
  const t = sumTranscript(ctx, digest, candidate, yBytes, wire);
  t.point(G.multiplyUnsafe(sum.z).subtract(u.multiplyUnsafe(sum.c)));
  t.point(y.multiplyUnsafe(sum.z).subtract(v.multiplyUnsafe(sum.c)));
  if (t.challenge() !== sum.c) {
    throw new BallotError('sum_proof_fails', 'the proof that the three options add up to 1 fails', { candidate });
  }
}

// ---- canonical bytes, tracker, box root ------------------------------------

/**
 * The canonical bytes the tracker hashes: fields "conclave-ballot/v1",
 * "ballot", the line count, then per line the candidate id, for each option
 * a, b, c0, c1, z0, z1, then the sum proof's c and z.
 * @param {Ballot} ballot
 */
export function canonicalBytes(ballot) {
  /** @type {Uint8Array[]} */
  const out = [];
  putField(out, PROTOCOL);
  putField(out, utf8('ballot'));
  putField(out, u32be(ballot.lines.length));
  for (const line of ballot.lines) {
    putField(out, utf8(line.candidate));
    for (const o of line.options) {
      for (const hex of [o.a, o.b, o.proof.c0, o.proof.c1, o.proof.z0, o.proof.z1]) putField(out, fromHex32(hex, 'ballot'));
    }
    putField(out, fromHex32(line.sum_proof.c, 'ballot'));
    putField(out, fromHex32(line.sum_proof.z, 'ballot'));
  }
  return concat(out);
}

/** @param {Uint8Array} hash */
function shortTracker(hash) {
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(hash[i]);
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === 4) out += '-';
    out += CROCKFORD[Number((bits >> BigInt(35 - 5 * i)) & 31n)];
  }
  return out;
}

/**
 * SHA-256 of the canonical bytes, in full (hex) and short (`7KQ2-M9XD`) form.
 * @param {Ballot} ballot
 * @returns {Tracker}
 */
export function ballotTracker(ballot) {
  const hash = sha256(canonicalBytes(ballot));
  return { hex: toHex(hash), short: shortTracker(hash) };
}

/**
 * The box root over full tracker hashes (hex), in any order.
 * @param {string[]} trackers
 * @returns {string}
 */
export function boxRoot(trackers) {
  const sorted = [...trackers].sort();
  /** @type {Uint8Array[]} */
  const out = [];
  putField(out, PROTOCOL);
  putField(out, utf8('box-root'));
  putField(out, u32be(sorted.length));
  for (const t of sorted) putField(out, fromHex32(t, 'tracker'));
  return toHex(sha256(concat(out)));
}

// ---- audited (spoiled) ballots -----------------------------------------------

/**
 * What an audited ballot (检验, "audit or cast") encrypted, read with the
 * randomness its terminal released: for each option `a` must be `r·G`, and
 * `b − r·Y` is then the plaintext times G, which must be 0 or G. The ballot's
 * proofs are checked separately (`verifyBallot`).
 * @param {string} publicKeyHex
 * @param {Ballot} ballot
 * @param {BallotRandomness} randomness
 * @returns {{ candidate: string, choice: Choice }[]}
 */
export function openAudited(publicKeyHex, ballot, randomness) {
  const y = readPublicKey(publicKeyHex);
  if (!Array.isArray(randomness?.lines) || randomness.lines.length !== ballot.lines.length) {
    throw new BallotError('randomness_mismatch', 'the randomness does not have one entry per ballot line');
  }
  return ballot.lines.map((line, i) => {
    const candidate = line.candidate;
    const rs = randomness.lines[i];
    if (rs.candidate !== candidate || !Array.isArray(rs.r) || rs.r.length !== 3) {
      throw new BallotError('randomness_mismatch', 'no randomness for this line', { candidate });
    }
    /** @type {number[]} */
    const ms = [];
    line.options.forEach((o, k) => {
      const r = decodeScalar(fromHex32(rs.r[k], 'r'));
      const a = decodePoint(fromHex32(o.a, 'a'));
      const b = decodePoint(fromHex32(o.b, 'b'));
      const option = CHOICES[k];
      if (r === null || r === 0n || a === null || b === null || !mulSecret(G, r).equals(a)) {
        throw new BallotError('randomness_mismatch', `the randomness of option "${option}" does not match its ciphertext`, { candidate, option });
      }
      const m = b.subtract(mulSecret(y, r));
      if (m.is0()) ms.push(0);
      else if (m.equals(G)) ms.push(1);
      else throw new BallotError('not_zero_or_one', `option "${option}" encrypts neither 0 nor 1`, { candidate, option });
    });
    const chosen = ms.flatMap((m, k) => (m === 1 ? [CHOICES[k]] : []));
    if (chosen.length !== 1) throw new BallotError('not_one_choice', 'the line does not encrypt exactly one choice', { candidate });
    return { candidate, choice: chosen[0] };
  });
}
