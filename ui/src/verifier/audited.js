// Audited ballots in the archive (`audited-ballots.json`, issue 28,
// docs/verification.md V8a): each verifies and opens with the randomness its
// terminal released, none is in its round's box, and they are the chain's
// `ballot.spoil` entries one for one. An absent file means none.
import { ballotTracker, openAudited, verifyBallot } from '../lib/ballot/ballot.js';

/**
 * @param {any[]} audited the file's entries `{round, ballot, randomness}`
 * @param {any} boxes sealed-ballots.json (its meeting id, keys and boxes)
 * @param {{ kind: string, detail: string }[]} entries the audit chain
 * @param {{ ran: (s: string, n: number) => void, fail: (s: string, p: any[]) => void }} r
 */
export function checkAudited(audited, boxes, entries, r) {
  const keys = boxes?.keys;
  const inBox = new Set((boxes?.rounds ?? []).flatMap((x) => x.ballots.map((b) => `${x.round}/${safeTracker(b)}`)));
  const found = new Set();
  for (const a of audited) {
    r.ran('V7', 1);
    const tracker = safeTracker(a?.ballot);
    const short = tracker.slice(0, 8).toUpperCase();
    found.add(`${a?.round}/${tracker}`);
    if (!keys) {
      r.fail('V7', ['auditedWrong', a?.round, short, 'no keys']);
      continue;
    }
    try {
      verifyBallot(keys.joint, { meeting_id: boxes.meeting_id, round: a.round }, a.ballot);
      openAudited(keys.joint, a.ballot, a.randomness);
    } catch (e) {
      r.fail('V7', ['auditedWrong', a?.round, short, String(e?.message ?? e)]);
    }
    if (inBox.has(`${a?.round}/${tracker}`)) r.fail('V8', ['auditedInBox', a.round, short]);
  }
  const logged = new Set();
  for (const e of entries) {
    if (e.kind !== 'ballot.spoil') continue;
    try {
      const d = JSON.parse(e.detail);
      logged.add(`${d.round}/${d.tracker}`);
    } catch {
      // an unreadable detail matches nothing
    }
  }
  if (logged.size !== found.size || [...logged].some((k) => !found.has(k))) {
    r.fail('V8', ['auditedDiffer', found.size, logged.size]);
  }
}

/** @param {any} ballot */
function safeTracker(ballot) {
  try {
    return ballotTracker(ballot).hex;
  } catch {
    return '';
  }
}
