import { describe, expect, it } from 'vitest';
import { keyFingerprint, splitCardLink } from './key';

describe('the card key', () => {
  it('prints the fingerprint the ceremony sheet prints', () => {
    // seal::fingerprint("00…00") in the core: SHA-256 of the 64 ASCII zeros.
    expect(keyFingerprint('0'.repeat(64))).toBe('60E0 5BD1 B195 AF2F 9411 2FA7 197A 5C88');
  });
  it('splits a card link into token and key', () => {
    expect(splitCardLink('#abc123&k=60e05bd1b195af2f94112fa7197a5c88')).toEqual({
      token: 'abc123',
      key: '60E05BD1B195AF2F94112FA7197A5C88',
    });
    expect(splitCardLink('#abc123')).toEqual({ token: 'abc123', key: null });
    expect(splitCardLink('#abc123&k=short')).toEqual({ token: 'abc123', key: null });
  });
});
