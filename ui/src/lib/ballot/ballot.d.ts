// Types of ballot.js (a plain ES module so that Node runs it unchanged).
// The JSON shapes are the Rust crate's serde forms (src-tauri/ballot).

/** 同意 / 不同意 / 弃权: option index 0, 1, 2. */
export type Choice = 'for' | 'against' | 'abstain';

export interface Context {
  meeting_id: string;
  /** u32 */
  round: number;
}

/** Hex strings: 64 lowercase digits (a point or a little-endian scalar). */
export interface ZeroOneProof {
  c0: string;
  c1: string;
  z0: string;
  z1: string;
}

export interface EncryptedOption {
  a: string;
  b: string;
  proof: ZeroOneProof;
}

export interface SumProof {
  c: string;
  z: string;
}

export interface BallotLine {
  candidate: string;
  /** for, against, abstain */
  options: [EncryptedOption, EncryptedOption, EncryptedOption];
  sum_proof: SumProof;
}

export interface Ballot {
  version: number;
  lines: BallotLine[];
}

export interface Tracker {
  /** SHA-256 of the canonical bytes, 64 hex digits. */
  hex: string;
  /** First 40 bits in Crockford base32, e.g. `7KQ2-M9XD`. */
  short: string;
}

export type BallotErrorCode =
  | 'malformed'
  | 'invalid_public_key'
  | 'unsupported_version'
  | 'empty_candidate'
  | 'candidate_too_long'
  | 'duplicate_candidate'
  | 'lines_out_of_order'
  | 'invalid_point'
  | 'non_canonical_scalar'
  | 'identity_ciphertext'
  | 'zero_one_proof_fails'
  | 'sum_proof_fails'
  | 'randomness_mismatch'
  | 'not_zero_or_one'
  | 'not_one_choice';

export class BallotError extends Error {
  code: BallotErrorCode;
  candidate?: string;
  /** e.g. `for.proof.c0`, `sum_proof.z` */
  part?: string;
  option?: Choice;
}

export const BALLOT_VERSION: 1;
export const MAX_CANDIDATE_ID_BYTES: 256;
export const CHOICES: readonly ['for', 'against', 'abstain'];

export interface EncryptOptions {
  /** Replaces the OS generator: test vectors only. */
  randomBytes?: (n: number) => Uint8Array;
}

/** Encrypts and proves a ballot; lines are sorted by candidate id (UTF-8 bytes). */
export function encryptBallot(
  publicKeyHex: string,
  ctx: Context,
  choices: [string, Choice][],
  opts?: EncryptOptions,
): Ballot;

/** Arbitrary plaintexts proven as an honest prover would: for tests of refusal only. */
export function encryptPlaintexts(
  publicKeyHex: string,
  ctx: Context,
  lines: [string, number[]][],
  opts?: EncryptOptions,
): Ballot;

/** Checks the JSON shape as strictly as the Rust reader. Throws `BallotError`. */
export function parseBallot(json: unknown): Ballot;

/** Verifies every encoding and proof; returns the tracker. Throws `BallotError`. */
export function verifyBallot(publicKeyHex: string, ctx: Context, json: unknown): Tracker;

export function canonicalBytes(ballot: Ballot): Uint8Array;
export function ballotTracker(ballot: Ballot): Tracker;
/** Box root over full tracker hashes (hex), any order. */
export function boxRoot(trackers: string[]): string;

/** The randomness r of each option of each line, released when a ballot is audited (检验). */
export interface BallotRandomness {
  /** In ballot order; `r` for, against, abstain: little-endian scalars, hex. */
  lines: { candidate: string; r: [string, string, string] }[];
}

/** A line encrypted and committed ahead of sealing; holds its secrets. */
export interface PreparedLine {
  candidate: string;
  /** The wire bytes (a, b) of its three ciphertexts. */
  wire: [Uint8Array, Uint8Array][];
}

/** Encrypts a line as it is marked; `finish` and `seal` only hash. */
export function lineEncryptor(
  publicKeyHex: string,
  opts?: EncryptOptions,
): {
  prepare(candidate: string, choice: Choice): PreparedLine;
  finish(ctx: Context, digest: Uint8Array, lines: PreparedLine[]): BallotLine[];
  seal(ctx: Context, lines: PreparedLine[]): { ballot: Ballot; randomness: BallotRandomness };
};

/** The randomness of prepared lines, in their order. */
export function randomnessOf(lines: PreparedLine[]): BallotRandomness;

/** Ballot order (UTF-8 bytes of the ids) and the digest of the lines' ciphertexts. */
export function ciphertextDigestOf(lines: { candidate: string; wire: [Uint8Array, Uint8Array][] }[]): {
  order: string[];
  digest: Uint8Array;
};

/** What an audited ballot encrypted, read with its randomness. Throws `BallotError`. */
export function openAudited(
  publicKeyHex: string,
  ballot: Ballot,
  randomness: BallotRandomness,
): { candidate: string; choice: Choice }[];
