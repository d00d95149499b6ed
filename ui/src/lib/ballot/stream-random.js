// The deterministic byte stream of the protocol's test vectors (never for real
// ballots): block k = SHA-512(seed || u64 big-endian k), blocks concatenated.
// Same as `StreamRng` in src-tauri/ballot/tests/ballot/support.rs.

import { sha512 } from '@noble/hashes/sha2.js';

/**
 * @param {string} seed
 * @returns {(n: number) => Uint8Array}
 */
export function streamRandom(seed) {
  const seedBytes = new TextEncoder().encode(seed);
  let block = 0n;
  /** @type {number[]} */
  let buf = [];
  return (n) => {
    while (buf.length < n) {
      const counter = new Uint8Array(8);
      new DataView(counter.buffer).setBigUint64(0, block, false);
      const h = sha512.create();
      h.update(seedBytes);
      h.update(counter);
      buf = buf.concat(Array.from(h.digest()));
      block += 1n;
    }
    const out = Uint8Array.from(buf.slice(0, n));
    buf = buf.slice(n);
    return out;
  };
}
