// The steps of docs/verification.md, V1–V12, run on an archive's bytes.
// Written from the spec, not from the Rust verifier: the two must fail a
// tampered archive at the same step. V13 (sealed PDFs) is in pdf.js.
import { verifyBallot, boxRoot, ballotTracker } from '../lib/ballot/ballot.js';
import { entries, read } from './zip.js';
import {
  sha256,
  sha256hex,
  ed25519Verify,
  unhex,
  utf8,
  hex,
  fingerprint,
  combine,
  isSharing,
  addCiphertexts,
  ZERO_CT,
  pointHex,
} from './crypto.js';
import { checkDocuments } from './pdf.js';
import { checkAudited } from './audited.js';

export const STEPS = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9', 'V10', 'V11', 'V12', 'V13'];
const FORMAT = 'conclave-archive-v1';
const SPEC = 1;
const GENESIS = '0'.repeat(64);

/** A report: per step whether it ran, how many things it checked, its problems, and what it left out. */
export function newReport() {
  const steps = Object.fromEntries(
    STEPS.map((id) => [id, { id, ran: false, count: 0, problems: /** @type {any[]} */ ([]), skipped: /** @type {any[]} */ ([]) }]),
  );
  return {
    steps,
    meeting: '',
    fingerprint: '',
    /** @param {string} id @param {number} [n] */
    ran(id, n = 0) {
      steps[id].ran = true;
      steps[id].count += n;
    },
    /** @param {string} id @param {any} problem a message key and its values */
    fail(id, problem) {
      steps[id].ran = true;
      steps[id].problems.push(problem);
    },
  };
}

/**
 * Runs every step on the archive `bytes`; `expectedKey` is the fingerprint
 * typed from the key ceremony sheet (or empty).
 */
export async function verifyArchive(bytes, expectedKey) {
  const r = newReport();
  const index = await checkIndex(bytes, r);
  if (!index) return r;
  const files = await checkFiles(bytes, index.value, r);
  const chain = await checkChain(files, r);
  const ok = chain && chain.ok;
  const entries = chain ? chain.entries : [];
  checkKeys(files, index.value, entries, r);
  if (expectedKey) {
    const norm = (s) => s.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
    if (norm(expectedKey) !== norm(r.fingerprint)) r.fail('V4', ['keyMismatch', expectedKey, r.fingerprint]);
  }
  const json = (name) => parse(files, name);
  const rounds = json('rounds.json');
  if (rounds.error) r.fail('V5', rounds.error);
  const boxes = json('sealed-ballots.json');
  if (boxes.error) r.fail('V7', boxes.error);
  const meeting = json('meeting.json');
  if (meeting.error) r.fail('V11', meeting.error);
  const rules = meeting.value?.rules;
  if (!rules) r.fail('V11', ['missing', 'meeting.json: rules']);
  if (boxes.value && boxes.value.meeting_id !== index.value.meeting.id) r.fail('V7', ['otherMeeting']);
  if (boxes.value && boxes.value.keys && !isSharing(boxes.value.keys)) r.fail('V7', ['notSharing']);
  const roundList = Array.isArray(rounds.value) ? rounds.value : [];
  const sealed = [];
  if (boxes.value && rules && (!boxes.value.keys || isSharing(boxes.value.keys))) {
    await recount(boxes.value, roundList, entries, rules, r);
    sealed.push(...boxes.value.rounds.map((x) => x.round));
  }
  if (files.has('audited-ballots.json')) {
    const audited = json('audited-ballots.json');
    if (audited.error) r.fail('V7', audited.error);
    else checkAudited(Array.isArray(audited.value) ? audited.value : [], boxes.value, entries, r);
  } else checkAudited([], boxes.value, entries, r);
  const plain = json('ballots.json');
  if (plain.error) r.fail('V12', plain.error);
  else {
    r.ran('V12', plain.value.length);
    plainRounds(plain.value, roundList, sealed, r);
  }
  const replay = ok ? replayChain(entries) : null;
  if (replay) {
    r.ran('V5', 1);
    compareTables(replay, files, r);
  }
  const roots = new Map((boxes.value?.rounds ?? []).map((x) => [x.round, x.box_root ?? null]));
  const roster = replay?.roster ?? (Array.isArray(json('roster.json').value) ? json('roster.json').value : []);
  await checkDocuments(files, entries, roots, index.value.public_key, replay && { replay, roster }, r);
  return r;
}

// ---- V1 --------------------------------------------------------------------

async function checkIndex(bytes, r) {
  r.ran('V1', 1);
  let list;
  try {
    list = entries(bytes);
  } catch (e) {
    r.fail('V1', ['unreadable', String(e.message ?? e)]);
    return null;
  }
  const get = async (name) => {
    const e = list.find((x) => x.name === name);
    return e ? read(bytes, e) : null;
  };
  const [indexBytes, sig] = [await get('index.json'), await get('index.sig')];
  let index;
  try {
    index = indexBytes && sig ? JSON.parse(new TextDecoder().decode(indexBytes)) : null;
  } catch {
    index = null;
  }
  if (!index || typeof index !== 'object' || !Array.isArray(index.files) || !index.meeting) {
    r.fail('V1', ['noIndex']);
    return null;
  }
  r.meeting = String(index.meeting.name ?? '');
  r.fingerprint = typeof index.public_key === 'string' ? await fingerprint(index.public_key) : '';
  const sigBytes = unhex(new TextDecoder().decode(sig).trim());
  const pub = unhex(index.public_key);
  const signed =
    index.format === FORMAT && sigBytes && pub && (await ed25519Verify(sigBytes, await sha256(indexBytes), pub));
  if (!signed) {
    r.fail('V1', ['badSignature']);
    return null;
  }
  const spec = index.spec ?? 0;
  if (!(Number.isInteger(spec) && spec >= 0 && spec <= SPEC)) {
    r.fail('V1', ['spec', spec]);
    return null;
  }
  const key = await get('public-key.txt');
  if (!key || new TextDecoder().decode(key).trim() !== index.public_key) r.fail('V1', ['keyFile']);
  return { value: index };
}

// ---- V2 --------------------------------------------------------------------

async function checkFiles(bytes, index, r) {
  r.ran('V2', 0);
  const listed = new Map(index.files.map((f) => [f.path, f]));
  const seen = new Set();
  /** @type {Map<string, Uint8Array>} */
  const files = new Map();
  for (const e of entries(bytes)) {
    if (e.name === 'index.json' || e.name === 'index.sig' || e.name.endsWith('/')) continue;
    const want = listed.get(e.name);
    if (!want || seen.has(e.name)) {
      r.fail('V2', ['unlisted', e.name]);
      continue;
    }
    seen.add(e.name);
    const ev = /^evidence\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(e.name);
    if (e.name.startsWith('evidence/') && !(ev && ev[2] === want.sha256 && ev[2].startsWith(ev[1]))) {
      r.fail('V2', ['changed', e.name]);
    }
    let body;
    try {
      body = await read(bytes, e);
    } catch {
      body = null;
    }
    if (!body || body.length !== want.size || (await sha256hex(body)) !== want.sha256) {
      r.fail('V2', ['changed', e.name]);
      continue;
    }
    r.ran('V2', 1);
    files.set(e.name, body);
  }
  for (const f of index.files) if (!seen.has(f.path)) r.fail('V2', ['missing', f.path]);
  return files;
}

/** An archived JSON file: its value, or the problem (missing or unreadable, never an empty default). */
function parse(files, name) {
  const b = files.get(name);
  if (!b) return { error: ['missing', name] };
  try {
    return { value: JSON.parse(new TextDecoder().decode(b)) };
  } catch (e) {
    return { error: ['unreadableFile', name, String(e.message ?? e)] };
  }
}

// ---- V3 --------------------------------------------------------------------

/** SHA-256 over u64_be(len) || bytes of each part (core/src/audit.rs). */
async function entryHash(prev, seq, at, kind, detail) {
  const parts = [prev, String(seq), at, kind, detail].map((p) => utf8.encode(p));
  const all = new Uint8Array(parts.reduce((n, p) => n + 8 + p.length, 0));
  const v = new DataView(all.buffer);
  let k = 0;
  for (const p of parts) {
    v.setBigUint64(k, BigInt(p.length));
    all.set(p, k + 8);
    k += 8 + p.length;
  }
  return sha256hex(all);
}

async function checkChain(files, r) {
  const a = parse(files, 'audit.json');
  if (a.error || !Array.isArray(a.value)) {
    r.fail('V3', ['missing', 'audit.json']);
    return null;
  }
  const list = a.value;
  r.ran('V3', list.length);
  let prev = GENESIS;
  for (let k = 0; k < list.length; k++) {
    const e = list[k];
    const ok =
      e.seq === k + 1 &&
      e.prev_hash === prev &&
      typeof e.detail === 'string' &&
      (await entryHash(prev, e.seq, e.at, e.kind, e.detail)) === e.entry_hash;
    if (!ok) {
      r.fail('V3', ['chainBroken', e.seq]);
      return { entries: list, ok: false };
    }
    prev = e.entry_hash;
  }
  return { entries: list, ok: true };
}

/** An entry's detail, parsed (null when it does not parse). */
function detail(e) {
  try {
    return JSON.parse(e.detail);
  } catch {
    return null;
  }
}

// ---- V4 --------------------------------------------------------------------

function checkKeys(files, index, chain, r) {
  r.ran('V4', 1);
  const created = [...chain].reverse().find((e) => e.kind === 'key.create');
  if (!files.has('audit.json')) return;
  if ((created && detail(created)?.public) !== index.public_key) r.fail('V4', ['keyNotRecorded']);
  const boxes = parse(files, 'sealed-ballots.json').value;
  if (boxes?.keys) {
    r.ran('V4', 1);
    const setup = chain.find((e) => e.kind === 'trustees.setup');
    if (!sameJson(setup && detail(setup)?.keys, boxes.keys)) r.fail('V4', ['keysDiffer']);
  }
}

/** JSON values equal regardless of object key order. */
export function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

// ---- V5: the replay ----------------------------------------------------------

/** Everything the chain says of the meeting (docs/verification.md V5's table). */
export function replayChain(chain) {
  const rp = {
    roster: null,
    attendance: [],
    recusals: new Map(),
    complete: true,
    overrides: new Map(),
    rules: null,
    rounds: new Map(),
  };
  const paper = new Map();
  const round = (d) => {
    const id = Number.isInteger(d.round) ? d.round : 0;
    if (!rp.rounds.has(id)) rp.rounds.set(id, { opened: null, confirmed: false, register: null, agreed: null, results: null });
    return rp.rounds.get(id);
  };
  for (const e of chain) {
    const d = detail(e);
    if (!d || typeof d !== 'object') continue;
    switch (e.kind) {
      case 'import.committee':
        rp.roster = Array.isArray(d.roster) ? d.roster : null;
        break;
      case 'signin.in':
      case 'signin.out':
        if (typeof d.member === 'string') rp.attendance.push({ member: d.member, present: e.kind === 'signin.in', at: e.at });
        break;
      case 'recusal.propose':
        if (Array.isArray(d.pairs)) {
          for (const p of d.pairs) {
            const key = `${p?.[0]}\u0000${p?.[1]}`;
            if (typeof p?.[0] === 'string' && typeof p?.[1] === 'string' && !rp.recusals.has(key)) rp.recusals.set(key, 'proposed');
          }
        } else rp.complete = false;
        break;
      case 'recusal.set':
        if ([d.member, d.candidate, d.status].every((x) => typeof x === 'string')) rp.recusals.set(`${d.member}\u0000${d.candidate}`, d.status);
        break;
      case 'recusal.decide_all':
        if (typeof d.status === 'string') for (const [k, v] of rp.recusals) if (v === 'proposed') rp.recusals.set(k, d.status);
        break;
      case 'eligibility.override':
        if (typeof d.candidate === 'string' && typeof d.reason === 'string') {
          rp.overrides.set(d.candidate, { reason: d.reason, by: typeof d.by === 'string' ? d.by : null });
        }
        break;
      case 'rules.set':
      case 'rules.freeze':
        rp.rules = isRules(d) ? d : null;
        break;
      case 'round.open': {
        const candidates = Array.isArray(d.candidates) ? d.candidates.filter((c) => typeof c === 'string') : null;
        const present = presentNow(rp.attendance);
        const confirmed = (m, c) => rp.recusals.get(`${m}\u0000${c}`) === 'confirmed';
        const register =
          candidates && rp.complete ? new Map(candidates.map((c) => [c, [...present].filter((m) => !confirmed(m, c)).length])) : null;
        const rd = round(d);
        rd.opened = {
          mode: typeof d.mode === 'string' ? d.mode : 'station',
          candidates: candidates ?? [],
          present: Number.isInteger(d.present) ? d.present : -1,
          reason: typeof d.reason === 'string' ? d.reason : '',
        };
        rd.register = register;
        break;
      }
      case 'round.confirm':
        round(d).confirmed = true;
        break;
      case 'round.tally':
      case 'round.close':
        if (Array.isArray(d.results)) {
          const rd = round(d);
          if (!rd.results) rd.results = new Map(d.results.filter((x) => typeof x?.candidate === 'string' && x.tally).map((x) => [x.candidate, x.tally]));
        }
        break;
      case 'paper.entry': {
        if (!Number.isInteger(d.round) || !Number.isInteger(d.entry) || !d.counts || typeof d.counts !== 'object') break;
        const slots = paper.get(d.round) ?? [null, null];
        if (d.entry === 1 || d.entry === 2) slots[d.entry - 1] = d.counts;
        paper.set(d.round, slots);
        break;
      }
      case 'paper.agreed': {
        if (!Number.isInteger(d.round)) break;
        const [first, second] = paper.get(d.round) ?? [null, null];
        paper.delete(d.round);
        const agreed = first ?? second;
        round(d).agreed = agreed ? new Map(Object.entries(agreed).map(([c, v]) => [c, counts(v)])) : null;
        break;
      }
    }
  }
  return rp;
}

export const counts = (v) => [v?.votes_for, v?.against, v?.abstain].map((x) => (Number.isInteger(x) ? x : 0));

const RULE_KEYS = ['quorum_num', 'quorum_den', 'pass_num', 'pass_den', 'denominator', 'abstain_counts', 'max_rounds'];
function isRules(d) {
  return (
    d &&
    typeof d === 'object' &&
    Object.keys(d).length === RULE_KEYS.length &&
    RULE_KEYS.every((k) => Object.hasOwn(d, k)) &&
    ['present', 'present_eligible'].includes(d.denominator) &&
    typeof d.abstain_counts === 'boolean'
  );
}

function presentNow(events) {
  const now = new Set();
  for (const p of events) (p.present ? now.add(p.member) : now.delete(p.member));
  return now;
}

/** Every difference between the replay and the tables (V5), and the paper ballots (V12). */
function compareTables(rp, files, r) {
  const table = (name) => parse(files, name).value;
  const roster = table('roster.json');
  if (rp.roster && Array.isArray(roster)) compareRoster(rp.roster, roster, r);
  const attendance = table('attendance.json');
  if (Array.isArray(attendance)) compareAttendance(rp.attendance, attendance, r);
  const recusals = table('recusals.json');
  if (Array.isArray(recusals)) compareRecusals(rp, recusals, r);
  const rounds = table('rounds.json');
  if (Array.isArray(rounds)) compareRounds(rp, rounds, r);
  const ballots = table('ballots.json');
  if (Array.isArray(ballots)) paperBallots(rp, ballots, r);
  const rules = table('meeting.json')?.rules;
  if (rp.rules && !sameJson(rp.rules, rules)) r.fail('V5', ['replayRules', 'meeting.json']);
}

const MEMBER_KEYS = ['id', 'name', 'organization', 'title', 'role', 'review_group'];
const sameMember = (a, b) => MEMBER_KEYS.every((k) => (a[k] ?? null) === (b[k] ?? null));

function compareRoster(chain, shown, r) {
  for (const m of chain) {
    const s = shown.find((x) => x.id === m.id);
    if (!s || !sameMember(m, s)) r.fail('V5', ['replayRoster', 'roster.json', `${m.name} (${m.id})`]);
  }
  for (const s of shown) if (!chain.some((m) => m.id === s.id)) r.fail('V5', ['replayRoster', 'roster.json', `${s.name} (${s.id})`]);
}

function byMember(events) {
  const out = new Map();
  for (const p of events) {
    if (!out.has(p.member)) out.set(p.member, []);
    out.get(p.member).push(p);
  }
  return out;
}

function sameMoment(a, b) {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? a === b : Math.abs(x - y) <= 60_000;
}

function compareAttendance(chain, rows, r) {
  const shown = rows
    .filter((x) => typeof x?.member === 'string' && Number.isInteger(x.present) && typeof x.at === 'string')
    .map((x) => ({ member: x.member, present: x.present === 1, at: x.at }));
  const c = byMember(chain);
  const t = byMember(shown);
  for (const m of new Set([...c.keys(), ...t.keys()])) {
    const [a, b] = [c.get(m) ?? [], t.get(m) ?? []];
    const same = a.length === b.length && a.every((e, i) => e.present === b[i].present && sameMoment(e.at, b[i].at));
    if (!same) r.fail('V5', ['replayAttendance', 'attendance.json', m]);
  }
}

function compareRecusals(rp, rows, r) {
  for (const [key, status] of rp.recusals) {
    const [m, c] = key.split('\u0000');
    const row = rows.find((x) => x.member_id === m && x.candidate_id === c);
    if (row?.status !== status) r.fail('V5', ['replayRecusal', 'recusals.json', m, c]);
  }
  if (!rp.complete) return;
  for (const x of rows) {
    if (!rp.recusals.has(`${x.member_id}\u0000${x.candidate_id}`)) r.fail('V5', ['replayRecusal', 'recusals.json', x.member_id, x.candidate_id]);
  }
}

function compareRounds(rp, rows, r) {
  for (const row of rows) {
    if (!Number.isInteger(row?.id)) continue;
    const id = row.id;
    const rd = rp.rounds.get(id);
    roundFacts(rp, 'rounds.json', id, {
      mode: row.mode ?? '',
      candidates: Array.isArray(row.candidates) ? row.candidates : [],
      present: Number.isInteger(row.present) ? row.present : -1,
      reason: row.reason ?? '',
      confirmed: row.confirmed_at != null,
    }, r);
    const limits = row.paper?.limits;
    if (limits && rd?.register && !sameJson(Object.fromEntries(rd.register), limits)) r.fail('V5', ['replayRound', 'rounds.json', id]);
    const results = (Array.isArray(row.results) ? row.results : []).filter((x) => typeof x?.candidate_id === 'string');
    roundResults(rp, 'rounds.json', id, results.map((x) => [x.candidate_id, x.tally ?? null]), r);
  }
  for (const [id, rd] of rp.rounds) {
    if (rd.opened && !rows.some((x) => x?.id === id)) r.fail('V5', ['replayRound', 'rounds.json', id]);
  }
}

/**
 * A round's facts as a file shows them against the chain's opening and
 * confirmation (`candidates` null where the file does not list them).
 * Problems go to V5 for the tables, V13 for a sealed PDF.
 */
export function roundFacts(rp, source, id, shown, r) {
  const step = source.startsWith('pdf/') ? 'V13' : 'V5';
  const rd = rp.rounds.get(id);
  const o = rd?.opened;
  if (!o) {
    r.fail(step, ['replayRound', source, id]);
    return;
  }
  const same =
    o.mode === shown.mode &&
    o.present === shown.present &&
    o.reason === shown.reason &&
    (shown.candidates === null || sameJson(o.candidates, shown.candidates));
  if (!same) r.fail(step, ['replayRound', source, id]);
  if (rd.confirmed !== shown.confirmed) r.fail(step, ['replayRound', source, id]);
}

/** A round's results as a file shows them (`[candidate, tally]`) against the agreed paper counts and the logged tally. */
export function roundResults(rp, source, id, shown, r) {
  const step = source.startsWith('pdf/') ? 'V13' : 'V5';
  const rd = rp.rounds.get(id);
  if (!rd) return;
  for (const [c, tally] of shown) {
    if (rd.agreed) {
      const want = rd.agreed.get(c);
      if (!want || !tally || !sameJson(want, counts(tally))) {
        r.fail(step, ['replayPaper', source, id, c]);
        continue;
      }
    }
    if (rd.results && !sameJson(rd.results.get(c) ?? null, tally)) r.fail(step, ['replayResult', source, id, c]);
  }
  for (const c of rd.results?.keys() ?? []) {
    if (!shown.some(([x]) => x === c)) r.fail(step, ['replayResult', source, id, c]);
  }
}

/** V12: `ballots.json`'s paper ballots counted against the counts both scrutineers agreed. */
function paperBallots(rp, rows, r) {
  const counted = new Map();
  for (const b of rows) {
    if (!Number.isInteger(b?.round) || typeof b.candidate !== 'string' || typeof b.choice !== 'string') continue;
    const key = `${b.round}\u0000${b.candidate}`;
    const n = counted.get(key) ?? [0, 0, 0];
    n[b.choice === 'for' ? 0 : b.choice === 'against' ? 1 : 2] += 1;
    counted.set(key, n);
  }
  for (const [id, rd] of rp.rounds) {
    if (!rd.agreed) continue;
    const candidates = new Set([...rd.agreed.keys()]);
    for (const key of counted.keys()) if (key.startsWith(`${id}\u0000`)) candidates.add(key.split('\u0000')[1]);
    for (const c of candidates) {
      const shown = counted.get(`${id}\u0000${c}`) ?? [0, 0, 0];
      if (!sameJson(rd.agreed.get(c) ?? null, shown)) r.fail('V12', ['paperCount', 'ballots.json', id, c]);
    }
  }
}

/** V12: rounds counted from plain anonymous ballots (not sealed): each result equals its ballots. */
function plainRounds(ballots, rounds, sealed, r) {
  const tallies = new Map();
  for (const b of ballots) {
    const key = `${b.round}\u0000${b.candidate}\u0000${b.choice}`;
    tallies.set(key, (tallies.get(key) ?? 0) + 1);
  }
  for (const round of rounds) {
    if (!Number.isInteger(round?.id) || sealed.includes(round.id)) continue;
    for (const res of Array.isArray(round.results) ? round.results : []) {
      const n = (choice) => tallies.get(`${round.id}\u0000${res.candidate_id}\u0000${choice}`) ?? 0;
      const t = res.tally ?? {};
      if (n('for') !== t.votes_for || n('against') !== t.against || n('abstain') !== t.abstain) {
        r.fail('V12', ['ballotsDisagree', round.id, res.candidate_id]);
      }
    }
  }
}

// ---- V6–V11: the sealed rounds ---------------------------------------------

/** Compact JSON of candidate → sorted members, keys in UTF-8 byte order (as serde_json writes a BTreeMap). */
export function eligibleJson(eligible) {
  const bytes = (s) => utf8.encode(s);
  const cmp = (a, b) => {
    const [x, y] = [bytes(a), bytes(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  const keys = Object.keys(eligible).sort(cmp);
  return `{${keys.map((k) => `${JSON.stringify(k)}:[${[...eligible[k]].sort(cmp).map((m) => JSON.stringify(m)).join(',')}]`).join(',')}}`;
}

/** The first entry of `kind` per round, and the rounds that have more than one. */
function byRound(chain, kind) {
  const first = new Map();
  const twice = [];
  for (const e of chain.filter((x) => x.kind === kind)) {
    const d = detail(e);
    if (!Number.isInteger(d?.round)) continue;
    if (first.has(d.round)) twice.push(d.round);
    else first.set(d.round, d);
  }
  return { first, twice };
}

/** Who could vote on whom at each round's opening, replayed (as V6 says). */
function replayEligibility(chain) {
  const present = new Set();
  const status = new Map();
  let known = true;
  const out = new Map();
  for (const e of chain) {
    const d = detail(e);
    if (!d || typeof d !== 'object') continue;
    if (e.kind === 'signin.in' && typeof d.member === 'string') present.add(d.member);
    else if (e.kind === 'signin.out' && typeof d.member === 'string') present.delete(d.member);
    else if (e.kind === 'recusal.propose') {
      if (Array.isArray(d.pairs)) {
        for (const p of d.pairs) {
          const key = `${p?.[0]}\u0000${p?.[1]}`;
          if (typeof p?.[0] === 'string' && typeof p?.[1] === 'string' && !status.has(key)) status.set(key, 'proposed');
        }
      } else known = false;
    } else if (e.kind === 'recusal.set' && [d.member, d.candidate, d.status].every((x) => typeof x === 'string')) {
      status.set(`${d.member}\u0000${d.candidate}`, d.status);
    } else if (e.kind === 'recusal.decide_all' && typeof d.status === 'string') {
      for (const [k, v] of status) if (v === 'proposed') status.set(k, d.status);
    } else if (e.kind === 'round.open' && Number.isInteger(d.round) && Array.isArray(d.candidates)) {
      const recused = known ? new Set([...status].filter(([, s]) => s === 'confirmed').map(([k]) => k)) : null;
      out.set(d.round, { present: new Set(present), recused, candidates: d.candidates.filter((c) => typeof c === 'string') });
    }
  }
  return out;
}

function registerDiffers(want, eligible) {
  for (const [c, members] of Object.entries(eligible)) for (const m of members) if (!want.present.has(m)) return `${m} (${c})`;
  if (!want.recused) return null;
  for (const c of want.candidates) {
    const should = [...want.present].filter((m) => !want.recused.has(`${m}\u0000${c}`));
    const has = new Set(eligible[c] ?? []);
    const missing = should.find((m) => !has.has(m));
    if (missing) return `${missing} (${c})`;
    const extra = [...has].find((m) => !should.includes(m));
    if (extra) return `${extra} (${c})`;
  }
  return null;
}

/** The tally of one candidate by the rules (V11), in exact integer arithmetic. */
export function count(rules, present, eligible, f, a, ab) {
  const cast = f + a + ab;
  let denominator = present;
  if (rules.denominator === 'present_eligible') denominator = rules.abstain_counts ? eligible : Math.max(eligible - ab, 0);
  const den = BigInt(Math.max(rules.pass_den, 1));
  const threshold = Number((BigInt(rules.pass_num) * BigInt(denominator) + den - 1n) / den);
  return {
    votes_for: f,
    against: a,
    abstain: ab,
    not_voted: Math.max(eligible - cast, 0),
    eligible,
    denominator,
    threshold,
    passed: threshold > 0 && f >= threshold,
  };
}

async function recount(boxes, rounds, chain, rules, r) {
  for (const id of ['V6', 'V7', 'V8', 'V9', 'V10', 'V11']) r.ran(id, 0);
  const opens = byRound(chain, 'round.open').first;
  const closes = byRound(chain, 'round.close');
  const tallies = byRound(chain, 'round.tally');
  const replayed = replayEligibility(chain);
  for (const id of [...closes.twice, ...tallies.twice]) r.fail('V8', ['loggedTwice', id]);
  for (const [id, open] of opens) {
    if (['station', 'terminal'].includes(open.mode) && !boxes.rounds.some((x) => x.round === id)) r.fail('V8', ['boxMissing', id]);
  }
  const casts = new Map();
  for (const e of chain.filter((x) => x.kind === 'ballot.cast')) {
    const d = detail(e);
    if (!Number.isInteger(d?.round)) continue;
    if (!casts.has(d.round)) casts.set(d.round, []);
    casts.get(d.round).push(typeof d.tracker === 'string' ? d.tracker : null);
  }
  for (const box of boxes.rounds) {
    if (!boxes.keys) {
      r.fail('V4', ['noTrustees', box.round]);
      continue;
    }
    const ctx = { meeting_id: boxes.meeting_id, round: box.round };
    const shown = rounds.find((x) => x?.id === box.round);
    await checkRound(box, boxes.keys, ctx, { open: opens.get(box.round), close: closes.first.get(box.round), tally: tallies.first.get(box.round), replayed: replayed.get(box.round), casts: casts.get(box.round) ?? [] }, shown, rules, r);
  }
}

async function checkRound(box, keys, ctx, chain, shown, rules, r) {
  const id = box.round;
  // V6: the register as fixed at the opening.
  r.ran('V6', 1);
  const digest = await sha256hex(utf8.encode(eligibleJson(box.eligible)));
  if (chain.open?.eligible_sha256 !== digest) r.fail('V6', ['registerChanged', id]);
  const differs = chain.replayed && registerDiffers(chain.replayed, box.eligible);
  if (differs) r.fail('V6', ['registerReplay', id, differs]);
  const present = Number.isInteger(shown?.present) ? shown.present : 0;
  if (chain.open?.present !== present) r.fail('V6', ['registerChanged', id]);

  // V7: every ballot's proofs; the valid ones summed (V9).
  const sums = new Map();
  const valid = [];
  const all = [];
  for (const b of box.ballots) {
    r.ran('V7', 1);
    r.ran('V8', 1);
    let tracker;
    try {
      tracker = ballotTracker(b).hex;
    } catch {
      tracker = '';
    }
    all.push(tracker);
    try {
      verifyBallot(keys.joint, ctx, b);
    } catch (e) {
      r.fail('V7', ['ballotRefused', id, tracker.slice(0, 8).toUpperCase(), String(e.code ?? e.message)]);
      continue;
    }
    valid.push(tracker);
    for (const line of b.lines) {
      const s = sums.get(line.candidate) ?? { cts: [ZERO_CT(), ZERO_CT(), ZERO_CT()], n: 0 };
      s.cts = s.cts.map((acc, k) => addCiphertexts(acc, line.options[k]));
      s.n += 1;
      sums.set(line.candidate, s);
    }
  }
  if (new Set(valid).size !== valid.length) r.fail('V7', ['duplicate', id]);

  // V8: the box against the chain's casts; the box root.
  const castDiff = castsDiffer(chain.casts, all);
  if (castDiff) r.fail('V8', ['castsDiffer', id, castDiff]);
  const root = boxRoot(valid);
  if (box.box_root !== root) r.fail('V8', ['boxRoot', id]);
  if (chain.close?.box_root !== root) r.fail('V8', ['boxRootChain', id]);

  // V9–V11 per candidate.
  const results = new Map((shown?.results ?? []).filter((x) => typeof x?.candidate_id === 'string').map((x) => [x.candidate_id, x.tally]));
  const candidates = new Set([...Object.keys(box.eligible), ...results.keys(), ...Object.keys(box.decryptions ?? {}), ...sums.keys(), ...(shown?.candidates ?? [])]);
  const counted = results.size > 0 || Object.keys(box.decryptions ?? {}).length > 0;
  for (const c of candidates) checkCandidate(box, keys, ctx, sums.get(c), c, { results, logged: chain.tally?.results, counted, present }, rules, r);
}

function castsDiffer(chained, boxed) {
  if (chained.length !== boxed.length) return `${boxed.length} / ${chained.length}`;
  if (chained.every((t) => t === null)) return null;
  const set = [...chained];
  const missing = [];
  for (const t of boxed) {
    const k = set.indexOf(t);
    if (k < 0) missing.push(t.slice(0, 8).toUpperCase());
    else set.splice(k, 1);
  }
  return missing.length ? missing.join(', ') : null;
}

function checkCandidate(box, keys, ctx, sum, c, shown, rules, r) {
  const id = box.round;
  const members = box.eligible[c] ?? [];
  const s = sum ?? { cts: [ZERO_CT(), ZERO_CT(), ZERO_CT()], n: 0 };
  const voted = members.filter((m) => box.voters.includes(m)).length;
  r.ran('V9', 1);
  if (s.n !== voted) r.fail('V9', ['ballotCount', id, c, s.n, voted]);
  if (!shown.counted) return;
  const d = box.decryptions?.[c];
  if (!d) {
    r.fail('V10', ['tallyWrong', id, c]);
    return;
  }
  const cts = s.cts.map((ct) => ({ a: pointHex(ct.a), b: pointHex(ct.b) }));
  if (!sameJson(cts, d.sums)) r.fail('V9', ['tallyWrong', id, c]);
  const got = [0, 0, 0];
  let decrypted = true;
  for (let k = 0; k < 3; k++) {
    r.ran('V10', 2);
    const m = combine(ctx, keys, cts[k], d.partials?.[k], s.n);
    if (m === null) decrypted = false;
    else got[k] = m;
  }
  if (!decrypted || !sameJson(got, d.counts)) r.fail('V10', ['tallyWrong', id, c]);
  r.ran('V11', 1);
  const expected = count(rules, shown.present, members.length, got[0], got[1], got[2]);
  const logged = Array.isArray(shown.logged) ? shown.logged.find((x) => x?.candidate === c)?.tally : undefined;
  if (!sameJson(shown.results.get(c) ?? null, expected) || !sameJson(logged ?? null, expected)) r.fail('V11', ['tallyWrong', id, c]);
}

export { hex };
