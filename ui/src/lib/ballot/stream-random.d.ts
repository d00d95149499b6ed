/** Deterministic test-vector randomness: block k = SHA-512(seed || u64be(k)). Tests only. */
export function streamRandom(seed: string): (n: number) => Uint8Array;
