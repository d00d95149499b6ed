// The election key as a member's terminal checks it: the card printed after
// the key ceremony carries the key's fingerprint in its link
// (`#TOKEN&k=FINGERPRINT`), and a ballot sheet under any other key is refused.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The fingerprint people compare (as the key ceremony sheet prints it): the
 * first 32 hex digits, upper case, of SHA-256 over the key's hex text, in
 * 8 groups of 4.
 */
export function keyFingerprint(publicKeyHex: string): string {
  const h = bytesToHex(sha256(utf8ToBytes(publicKeyHex))).toUpperCase().slice(0, 32);
  return h.match(/.{4}/g)!.join(' ');
}

/** A card link's fragment: the pairing token and, on newer cards, the key's fingerprint. */
export function splitCardLink(hash: string): { token: string; key: string | null } {
  const [token, ...rest] = hash.replace(/^#/, '').trim().split('&');
  const k = rest.find((p) => p.startsWith('k='))?.slice(2).toUpperCase() ?? '';
  return { token: token ?? '', key: /^[0-9A-F]{32}$/.test(k) ? k : null };
}
