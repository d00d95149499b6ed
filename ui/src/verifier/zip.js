// The archive's zip, read by the page itself (docs/verification.md V1–V2):
// the central directory, stored and deflate entries (the browser's own
// DecompressionStream), zip64 sizes. Names are UTF-8 (Conclave writes them so).

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** @param {Uint8Array} bytes */
function view(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Where the end of central directory record starts, or -1. */
function findEocd(bytes) {
  const v = view(bytes);
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === EOCD) return i;
  }
  return -1;
}

/** The directory's entry count and offset, from the zip64 record when the classic one overflows. */
function directory(bytes, at) {
  const v = view(bytes);
  let count = v.getUint16(at + 10, true);
  let offset = v.getUint32(at + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = at - 20;
    const rec = Number(v.getBigUint64(locator + 8, true));
    if (v.getUint32(rec, true) !== EOCD64) throw new Error('zip64 record missing');
    count = Number(v.getBigUint64(rec + 32, true));
    offset = Number(v.getBigUint64(rec + 48, true));
  }
  return { count, offset };
}

/** Sizes and offset from a zip64 extra field where the classic ones are 0xffffffff. */
function zip64(v, extraAt, extraLen, e) {
  let p = extraAt;
  while (p + 4 <= extraAt + extraLen) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const next = () => {
        const n = Number(v.getBigUint64(q, true));
        q += 8;
        return n;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressed === 0xffffffff) e.compressed = next();
      if (e.local === 0xffffffff) e.local = next();
      return;
    }
    p += 4 + len;
  }
}

/**
 * Every entry of the zip, in directory order (a name may repeat: V2 says so).
 * @param {Uint8Array} bytes
 * @returns {{ name: string, method: number, size: number, compressed: number, local: number }[]}
 */
export function entries(bytes) {
  const at = findEocd(bytes);
  if (at < 0) throw new Error('not a zip file');
  const { count, offset } = directory(bytes, at);
  const v = view(bytes);
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  const out = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (v.getUint32(p, true) !== CENTRAL) throw new Error(`directory entry ${i} is damaged`);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const e = {
      name: utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen)),
      method: v.getUint16(p + 10, true),
      compressed: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      local: v.getUint32(p + 42, true),
    };
    zip64(v, p + 46 + nameLen, extraLen, e);
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * An entry's bytes, inflated when deflated.
 * @param {Uint8Array} bytes
 * @param {{ name: string, method: number, compressed: number, local: number }} e
 * @returns {Promise<Uint8Array>}
 */
export async function read(bytes, e) {
  const v = view(bytes);
  if (v.getUint32(e.local, true) !== LOCAL) throw new Error(`${e.name}: local header damaged`);
  const start = e.local + 30 + v.getUint16(e.local + 26, true) + v.getUint16(e.local + 28, true);
  const raw = bytes.subarray(start, start + e.compressed);
  if (e.method === 0) return raw;
  if (e.method !== 8) throw new Error(`${e.name}: compression method ${e.method} not supported`);
  return inflate(raw, 'deflate-raw');
}

/**
 * @param {Uint8Array} raw
 * @param {'deflate-raw' | 'deflate'} format
 * @returns {Promise<Uint8Array>}
 */
export async function inflate(raw, format) {
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
