import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BallotError, lineEncryptor, openAudited, verifyBallot, type Choice, type Context } from './ballot.js';

const vector = JSON.parse(
  readFileSync(new URL('../../../../src-tauri/ballot/tests/vectors/ballot-v1.json', import.meta.url), 'utf8'),
) as { keys: { joint: string } };
const pk = vector.keys.joint;
const ctx: Context = { meeting_id: 'meeting-js', round: 2 };
const marks: [string, Choice][] = [
  ['王五', 'abstain'],
  ['c-02', 'against'],
  ['c-01', 'for'],
];

describe('a ballot encrypted line by line as it is marked', () => {
  it('verifies, and its released randomness shows the marked choices', () => {
    const enc = lineEncryptor(pk);
    const first = enc.prepare('c-02', 'for'); // changed afterwards: re-encrypted
    expect(first.candidate).toBe('c-02');
    const lines = marks.map(([c, ch]) => enc.prepare(c, ch));
    const { ballot, randomness } = enc.seal(ctx, lines);
    expect(ballot.lines.map((l) => l.candidate)).toEqual(['c-01', 'c-02', '王五']);
    expect(verifyBallot(pk, ctx, ballot).hex).toMatch(/^[0-9a-f]{64}$/);
    expect(openAudited(pk, ballot, randomness)).toEqual([
      { candidate: 'c-01', choice: 'for' },
      { candidate: 'c-02', choice: 'against' },
      { candidate: '王五', choice: 'abstain' },
    ]);
  });

  it('refuses randomness that is not the ballot\'s, naming the line and option', () => {
    const enc = lineEncryptor(pk);
    const { ballot, randomness } = enc.seal(ctx, marks.map(([c, ch]) => enc.prepare(c, ch)));
    const other = enc.seal(ctx, marks.map(([c, ch]) => enc.prepare(c, ch)));
    const mixed = structuredClone(randomness);
    mixed.lines[1].r[1] = other.randomness.lines[1].r[1];
    let error: unknown;
    try {
      openAudited(pk, ballot, mixed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BallotError);
    expect((error as BallotError).code).toBe('randomness_mismatch');
    expect((error as BallotError).candidate).toBe('c-02');
    expect((error as BallotError).option).toBe('against');
  });
});
