// Hashes and signatures for the verifier page: SHA-256 by WebCrypto, Ed25519
// by WebCrypto where the browser has it (else @noble/curves, bundled in),
// ristretto255 for the tally (ballot-protocol.md §3, §8).
import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

export const utf8 = new TextEncoder();

/** @param {Uint8Array} b */
export const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** @param {string} s @returns {Uint8Array | null} lower-case hex only */
export function unhex(s) {
  if (typeof s !== 'string' || s.length % 2 || !/^[0-9a-f]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** @param {Uint8Array} bytes @returns {Promise<Uint8Array>} */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** @param {Uint8Array} bytes */
export async function sha256hex(bytes) {
  return hex(await sha256(bytes));
}

/** Which Ed25519 the page used (WebCrypto or noble), for the report. */
export const engine = { ed25519: '' };

/**
 * Ed25519 verification of `sig` over `msg` by `pub` (all bytes).
 * @param {Uint8Array} sig @param {Uint8Array} msg @param {Uint8Array} pub
 */
export async function ed25519Verify(sig, msg, pub) {
  if (sig.length !== 64 || pub.length !== 32) return false;
  try {
    const key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, msg);
    engine.ed25519 = 'WebCrypto';
    return ok;
  } catch {
    engine.ed25519 = '@noble/curves';
    try {
      return ed25519.verify(sig, msg, pub);
    } catch {
      return false;
    }
  }
}

/** The key ceremony sheet's fingerprint of a hex key: SHA-256 of its lower-case hex text, 32 digits in groups of 4. */
export async function fingerprint(publicHex) {
  const h = (await sha256hex(utf8.encode(publicHex))).toUpperCase().slice(0, 32);
  return h.match(/.{4}/g).join(' ');
}

// ---- ristretto255 ----------------------------------------------------------

const P = ristretto255.Point;
export const G = P.BASE;
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const PROTOCOL = utf8.encode('conclave-ballot/v1');

/** @param {string} h @returns {any | null} a point, or null when not one */
export function point(h) {
  const b = unhex(h);
  if (!b || b.length !== 32) return null;
  try {
    return P.fromBytes(b);
  } catch {
    return null;
  }
}

/** @param {string} h @returns {bigint | null} a canonical scalar */
export function scalar(h) {
  const b = unhex(h);
  if (!b || b.length !== 32) return null;
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  return n < L ? n : null;
}

const mod = (n) => ((n % L) + L) % L;

function invert(n) {
  let [a, b, x0, x1] = [mod(n), L, 1n, 0n];
  while (a > 1n) {
    const q = a / b;
    [a, b] = [b, a % b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return mod(x0);
}

/** field(x) = u32_be(len) || x, as ballot-protocol.md §1. */
function field(out, bytes) {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, bytes.length);
  out.push(len, bytes);
}

function challenge(parts) {
  const out = [];
  for (const p of parts) field(out, p);
  const all = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
  let k = 0;
  for (const b of out) {
    all.set(b, k);
    k += b.length;
  }
  const h = sha512(all);
  let n = 0n;
  for (let i = 63; i >= 0; i--) n = (n << 8n) | BigInt(h[i]);
  return mod(n);
}

const u32 = (n) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

/**
 * One trustee's partial decryption of (a, b) with its proof (§8.2); returns d or null.
 * @param {{meeting_id: string, round: number}} ctx
 */
function partial(ctx, keys, a, b, p) {
  const i = p.trustee;
  if (![1, 2, 3].includes(i)) return null;
  const yi = point(keys.shares[i - 1]);
  const y = point(keys.joint);
  const d = point(p.d);
  const c = scalar(p.proof?.c);
  const z = scalar(p.proof?.z);
  if (!yi || !y || !d || c === null || z === null) return null;
  const mul = (pt, s) => (s === 0n ? P.ZERO : pt.multiplyUnsafe(s));
  const Acmp = mul(G, z).subtract(mul(yi, c));
  const B = mul(a, z).subtract(mul(d, c));
  const e = challenge([
    PROTOCOL,
    utf8.encode('partial-decryption'),
    utf8.encode(ctx.meeting_id),
    u32(ctx.round),
    new Uint8Array([i]),
    y.toBytes(),
    yi.toBytes(),
    a.toBytes(),
    b.toBytes(),
    d.toBytes(),
    Acmp.toBytes(),
    B.toBytes(),
  ]);
  return e === c ? { i, d } : null;
}

/**
 * The count in a summed ciphertext from two trustees' partial decryptions
 * (§8.3): both proofs, distinct trustees, Lagrange at 0, m·G for m ≤ max.
 * @returns {number | null}
 */
export function combine(ctx, keys, ct, parts, max) {
  const a = point(ct.a);
  const b = point(ct.b);
  if (!a || !b || !Array.isArray(parts) || parts.length !== 2) return null;
  const [p, q] = parts.map((x) => partial(ctx, keys, a, b, x));
  if (!p || !q || p.i === q.i) return null;
  const [i, j] = [BigInt(p.i), BigInt(q.i)];
  const li = mod(j * invert(j - i));
  const lj = mod(i * invert(i - j));
  const mul = (pt, s) => (s === 0n ? P.ZERO : pt.multiplyUnsafe(s));
  const shared = mul(p.d, li).add(mul(q.d, lj));
  const target = b.subtract(shared);
  let acc = P.ZERO;
  for (let m = 0; m <= max; m++) {
    if (acc.equals(target)) return m;
    acc = acc.add(G);
  }
  return null;
}

/** Component-wise sum of ciphertexts given as hex; returns hex. */
export function addCiphertexts(acc, ct) {
  const a = point(ct.a);
  const b = point(ct.b);
  return { a: acc.a.add(a), b: acc.b.add(b) };
}

export const ZERO_CT = () => ({ a: P.ZERO, b: P.ZERO });

/** The 2-of-3 sharing check of §3: Y = 2·Y1 − Y2 and Y3 = 2·Y2 − Y1. */
export function isSharing(keys) {
  const [y, y1, y2, y3] = [keys?.joint, ...(keys?.shares ?? [])].map(point);
  if (!y || !y1 || !y2 || !y3 || y.equals(P.ZERO)) return false;
  return y.equals(y1.add(y1).subtract(y2)) && y3.equals(y2.add(y2).subtract(y1));
}

/** Hex of a point. */
export const pointHex = (p) => hex(p.toBytes());
