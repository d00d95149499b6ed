// V13's second half: what a sealed PDF prints against the meeting replayed
// from the chain (docs/verification.md V13, "as V5 compares the tables"):
// the minutes' rules, attendance in roster order, confirmed recusals,
// eligibility overrides and rounds; a results sheet's members present,
// rules and rows.
import { sameJson, roundFacts, roundResults } from './steps.js';

/**
 * @param {{ replay: any, roster: any[] }} ctx the replay and the roster the minutes follow
 * @param {string} source the PDF's path
 * @param {any} data its sealed data
 */
export function sealedAgainstReplay(ctx, source, data, r) {
  if (data?.kind === 'minutes') minutes(ctx, source, data, r);
  else if (data?.kind === 'results') results(ctx, source, data, r);
}

const fail = (r, problem) => r.fail('V13', problem);

function rules(rp, source, shown, r) {
  if (rp.rules && !sameJson(rp.rules, shown ?? null)) fail(r, ['replayRules', source]);
}

/** Member id → name, from the roster the replay knows. */
const names = (roster) => new Map(roster.map((m) => [m.id, m.name]));

function minutes({ replay: rp, roster }, source, m, r) {
  // Minutes of another version's shape are checked by their seal and heads only.
  if (![m.rules, m.attendance, m.recusals, m.barred, m.rounds].every((x) => x != null && typeof x === 'object')) return;
  rules(rp, source, m.rules, r);
  attendance(rp, roster, source, m.attendance, r);
  recusals(rp, roster, source, m.recusals, r);
  overrides(rp, roster, source, m.barred, r);
  for (const x of m.rounds) {
    roundFacts(rp, source, x.id, { mode: x.mode, candidates: null, present: x.present, reason: x.reason, confirmed: x.confirmed_at != null }, r);
    roundResults(rp, source, x.id, (x.rows ?? []).map((row) => [row.id, row.tally ?? null]), r);
  }
  for (const [id, rd] of rp.rounds) {
    if (rd.opened && !m.rounds.some((x) => x.id === id)) fail(r, ['replayRound', source, id]);
  }
}

/** One line per member in roster order: name, role and organisation; the 签到 / 离席 in order (times are local, not compared). */
function attendance(rp, roster, source, lines, r) {
  const events = new Map();
  for (const p of rp.attendance) {
    if (!events.has(p.member)) events.set(p.member, []);
    events.get(p.member).push(p.present);
  }
  lines.forEach((line, k) => {
    const m = roster[k];
    if (!m) {
      fail(r, ['replayRoster', source, line.name]);
      return;
    }
    const same = m.name === line.name && m.role === line.role && (m.organization ?? null) === (line.organization ?? null);
    if (rp.roster && !same) fail(r, ['replayRoster', source, `${m.name} (${m.id})`]);
    const shown = (line.events ?? []).map((e) => e[0]);
    if (!sameJson(events.get(m.id) ?? [], shown)) fail(r, ['replayAttendance', source, `${m.name} (${m.id})`]);
  });
  for (const m of roster.slice(lines.length)) fail(r, ['replayRoster', source, `${m.name} (${m.id})`]);
}

function recusals(rp, roster, source, lines, r) {
  const byId = names(roster);
  const idOf = (name) => [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).find(([, n]) => n === name)?.[0];
  for (const [key, status] of rp.recusals) {
    if (status !== 'confirmed') continue;
    const [m, c] = key.split('\u0000');
    const name = byId.get(m);
    if (!lines.some((l) => l.candidate_id === c && name !== undefined && l.member_name === name)) {
      fail(r, ['replayRecusal', source, m, c]);
    }
  }
  for (const l of lines) {
    const id = idOf(l.member_name);
    const status = id === undefined ? undefined : rp.recusals.get(`${id}\u0000${l.candidate_id}`);
    const wrong = status === undefined ? rp.complete : status !== 'confirmed';
    if (wrong) fail(r, ['replayRecusal', source, id ?? l.member_name, l.candidate_id]);
  }
}

function overrides(rp, roster, source, lines, r) {
  const byId = names(roster);
  for (const [c, o] of rp.overrides) {
    const line = lines.find((l) => l.candidate_id === c);
    const by = o.by === null ? undefined : byId.get(o.by);
    const shownBy = line?.override_by ?? undefined;
    // Who authorised it is compared where both say (older minutes do not).
    const byDiffers = by !== undefined && shownBy !== undefined && by !== shownBy;
    if ((line?.override_reason ?? null) !== o.reason || byDiffers) fail(r, ['replayOverride', source, c]);
  }
  for (const l of lines) {
    if (l.override_reason != null && !rp.overrides.has(l.candidate_id)) fail(r, ['replayOverride', source, l.candidate_id]);
  }
}

function results({ replay: rp }, source, data, r) {
  if (!Number.isInteger(data.round)) return;
  rules(rp, source, data.rules, r);
  const opened = rp.rounds.get(data.round)?.opened;
  if (opened && opened.present !== data.present) fail(r, ['replayRound', source, data.round]);
  const rows = (Array.isArray(data.rows) ? data.rows : []).filter((x) => typeof x?.id === 'string');
  roundResults(rp, source, data.round, rows.map((x) => [x.id, x.tally ?? null]), r);
}
