// V13: every sealed PDF of the archive (core/docs/sealed-documents.md,
// "Verifying a PDF" steps 1–5): the seal's stream, the one byte-range
// signature (message digest and ECDSA P-256 by the certificate's key), the
// meeting key's vouch for that key and its signature over the sealed data;
// then the data's chain head and box root against the archive, and what it
// prints against the replay (sealed.js). What this page does not do (the
// re-render of this build's layout) is listed as not checked.
import { p256 } from '@noble/curves/nist.js';
import { inflate } from './zip.js';
import { sha256, sha256hex, ed25519Verify, unhex, utf8, hex } from './crypto.js';
import { sealedAgainstReplay } from './sealed.js';

const latin1 = new TextDecoder('latin1');

/** The seal's JSON, or null: `/ConclaveSeal N 0 R` → object N's Flate stream. */
async function seal(bytes, text) {
  const ref = /\/ConclaveSeal\s+(\d+)\s+0\s+R/.exec(text);
  if (!ref) return null;
  const obj = new RegExp(`(^|[\\r\\n\\s])${ref[1]}\\s+0\\s+obj`).exec(text);
  if (!obj) return null;
  const dictAt = obj.index + obj[0].length;
  const streamAt = text.indexOf('stream', dictAt);
  const length = /\/Length\s+(\d+)/.exec(text.slice(dictAt, streamAt));
  if (streamAt < 0 || !length) return null;
  let start = streamAt + 'stream'.length;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  try {
    const json = await inflate(bytes.subarray(start, start + Number(length[1])), 'deflate');
    return JSON.parse(new TextDecoder().decode(json));
  } catch {
    return null;
  }
}

// ---- a little DER ------------------------------------------------------------

/** @returns {{ at: number, tag: number, start: number, end: number, next: number }} the element at `at` */
function der(b, at) {
  const tag = b[at];
  let len = b[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    start += n;
  }
  return { at, tag, start, end: start + len, next: start + len };
}

/** The children of a constructed element. */
function children(b, el) {
  const out = [];
  for (let p = el.start; p < el.end; ) {
    const c = der(b, p);
    out.push(c);
    p = c.next;
  }
  return out;
}

const MESSAGE_DIGEST = unhex('2a864886f70d010904');

/** From the CMS ContentInfo: the signed attributes (as a DER SET), the message digest, the signature and the certificate's key. */
function cms(b) {
  const info = der(b, 0);
  const [, wrapped] = children(b, info);
  const signedData = der(b, wrapped.start);
  const parts = children(b, signedData);
  const certs = parts.find((p) => p.tag === 0xa0);
  const signerInfos = parts[parts.length - 1];
  const signer = children(b, children(b, signerInfos)[0]);
  const attrs = signer.find((p) => p.tag === 0xa0);
  const signature = signer[signer.length - 1];
  let digest = null;
  for (const attr of children(b, attrs)) {
    const [oid, values] = children(b, attr);
    if (hex(b.subarray(oid.start, oid.end)) === hex(MESSAGE_DIGEST)) {
      const v = children(b, values)[0];
      digest = b.subarray(v.start, v.end);
    }
  }
  const cert = children(b, certs)[0];
  const tbs = children(b, children(b, cert)[0]);
  // version [0], serial, algorithm, issuer, validity, subject, key
  const spki = tbs[tbs[0].tag === 0xa0 ? 6 : 5];
  const bits = children(b, spki)[1];
  const key = b.subarray(bits.start + 1, bits.end);
  const set = b.slice(attrs.at, attrs.end);
  set[0] = 0x31; // [0] IMPLICIT → SET, as signed
  return { set, digest, signature: b.subarray(signature.start, signature.end), key };
}

/** Problems with one PDF's byte signature and seal (empty when it holds), and its sealed data. */
async function checkPdf(bytes, publicKey) {
  const text = latin1.decode(bytes);
  const s = await seal(bytes, text);
  if (!s) return { problems: [['notSealed']] };
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const sigs = text.match(/\/Type\s*\/Sig\b/g) ?? [];
  if (ranges.length !== 1 || sigs.length !== 1) return { problems: [['byteRange']] };
  const [z, a, b, c] = ranges[0].slice(1).map(Number);
  if (z !== 0 || b + c !== bytes.length || text[a] !== '<' || text[b - 1] !== '>') return { problems: [['byteRange']] };
  const contents = unhex(text.slice(a + 1, b - 1).toLowerCase());
  if (!contents) return { problems: [['byteRange']] };
  let parsed;
  try {
    parsed = cms(contents);
  } catch {
    return { problems: [['cms']] };
  }
  const signed = new Uint8Array(a + c);
  signed.set(bytes.subarray(0, a));
  signed.set(bytes.subarray(b), a);
  if (!parsed.digest || hex(parsed.digest) !== (await sha256hex(signed))) return { problems: [['byteChanged']] };
  let ecdsa = false;
  try {
    ecdsa = p256.verify(parsed.signature, parsed.set, parsed.key, { format: 'der', lowS: false });
  } catch {
    ecdsa = false;
  }
  if (!ecdsa) return { problems: [['cms']] };
  const pdfKey = unhex(s.pdf_key ?? '');
  const pub = unhex(s.public_key ?? '');
  const keyIsPdfKey = pdfKey && samePoint(pdfKey, parsed.key);
  const vouched =
    pdfKey && pub && (await ed25519Verify(unhex(s.pdf_key_signature ?? '') ?? new Uint8Array(), concat(utf8.encode('conclave-pdf-key-v1'), pdfKey), pub));
  const sealOk = pub && (await ed25519Verify(unhex(s.signature ?? '') ?? new Uint8Array(), await sha256(utf8.encode(s.data ?? '')), pub));
  if (!keyIsPdfKey || !vouched || !sealOk) return { problems: [['sealBroken']] };
  if (s.public_key !== publicKey) return { problems: [['pdfKeyMismatch']] };
  let data = null;
  try {
    data = JSON.parse(s.data);
  } catch {
    data = null;
  }
  return { problems: [], data };
}

function concat(x, y) {
  const out = new Uint8Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

/** The same P-256 point, compressed or not. */
function samePoint(x, y) {
  try {
    return p256.Point.fromBytes(x).equals(p256.Point.fromBytes(y));
  } catch {
    return false;
  }
}

/**
 * V13 over every `pdf/` file kept after V2; `ctx` (the replay and roster,
 * null when the chain does not hold) for comparing what each one prints.
 * @param {Map<string, Uint8Array>} files
 */
export async function checkDocuments(files, chain, roots, publicKey, ctx, r) {
  r.ran('V13', 0);
  r.steps.V13.skipped.push(['pdfRerender']);
  for (const [name, bytes] of files) {
    if (!name.startsWith('pdf/')) continue;
    r.ran('V13', 1);
    if (ctx) {
      // What it prints, read from its seal as conclave verify reads it.
      const printed = await seal(bytes, latin1.decode(bytes));
      let data = null;
      try {
        data = printed ? JSON.parse(printed.data) : null;
      } catch {
        data = null;
      }
      if (data) sealedAgainstReplay(ctx, name, data, r);
    }
    const { problems, data } = await checkPdf(bytes, publicKey);
    for (const p of problems) r.fail('V13', ['inFile', name, p]);
    if (!data) continue;
    if (typeof data.audit_head === 'string' && !chain.some((e) => e.entry_hash === data.audit_head)) {
      r.fail('V13', ['inFile', name, ['headNotInChain']]);
    }
    if (Number.isInteger(data.round) && roots.has(data.round) && (data.box_root ?? null) !== roots.get(data.round)) {
      r.fail('V13', ['inFile', name, ['boxRoot', data.round]]);
    }
  }
}
