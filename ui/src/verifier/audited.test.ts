import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ballotTracker, lineEncryptor } from '../lib/ballot/ballot.js';
import { checkAudited } from './audited.js';

const pk = (
  JSON.parse(
    readFileSync(new URL('../../../src-tauri/ballot/tests/vectors/ballot-v1.json', import.meta.url), 'utf8'),
  ) as { keys: { joint: string } }
).keys.joint;
const boxes = { meeting_id: 'm-1', keys: { joint: pk }, rounds: [{ round: 1, ballots: [] }] };

function audited() {
  const enc = lineEncryptor(pk);
  const { ballot, randomness } = enc.seal({ meeting_id: 'm-1', round: 1 }, [enc.prepare('c-01', 'for'), enc.prepare('c-02', 'abstain')]);
  return { round: 1, ballot, randomness };
}

function run(list: ReturnType<typeof audited>[], entries: { kind: string; detail: string }[]) {
  const problems: unknown[][] = [];
  checkAudited(list, boxes, entries, { ran: () => {}, fail: (_s: string, p: unknown[]) => problems.push(p) });
  return problems;
}

const spoil = (a: ReturnType<typeof audited>) => ({
  kind: 'ballot.spoil',
  detail: JSON.stringify({ round: a.round, tracker: ballotTracker(a.ballot).hex }),
});

describe('audited ballots in the verifier page', () => {
  it('accepts an audited ballot that opens and is in the chain', () => {
    const a = audited();
    expect(run([a], [spoil(a)])).toEqual([]);
  });

  it('names one whose randomness does not open it, and one the chain does not record', () => {
    const a = audited();
    const other = audited();
    const lying = { ...a, randomness: other.randomness };
    const problems = run([lying], [spoil(a)]);
    expect(problems[0][0]).toBe('auditedWrong');
    expect(String(problems[0][3])).toContain('does not match its ciphertext');
    expect(run([a], [])).toEqual([['auditedDiffer', 1, 0]]);
  });
});
