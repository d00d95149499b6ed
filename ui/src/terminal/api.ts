// The terminal's door to the meeting-room server (src-tauri/server): JSON
// over HTTPS on the page's own origin, the session in an HttpOnly cookie.
import type { BallotLine } from '../bindings/BallotLine';
import type { CandidateDetail } from '../bindings/CandidateDetail';
import type { CandidateRow } from '../bindings/CandidateRow';
import type { Ballot, BallotRandomness, Context } from '../lib/ballot/ballot';
import { i18n } from '../lib/i18n.svelte';
import { loadPdfByRanges } from '../lib/evidence';
import type { Reader } from '../lib/reader';

/** A refusal from the server, already in the terminal's language. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly where: string,
  ) {
    super(message);
  }
}

/** The server could not be reached (the network, or the host restarting). */
export class Offline extends Error {}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { 'Accept-Language': i18n.lang, ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    });
  } catch (e) {
    throw new Offline(String(e));
  }
  const text = await resp.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!resp.ok) {
    if (resp.status >= 502 && resp.status <= 504) throw new Offline(`HTTP ${resp.status}`);
    const b = (body ?? {}) as { code?: string; message?: string; where?: string };
    throw new ServerError(resp.status, b.code ?? 'http', b.message ?? `HTTP ${resp.status}`, b.where ?? '');
  }
  return body as T;
}

export interface Member {
  id: string;
  name: string;
}

export interface Me {
  member: Member;
  present: boolean;
  presenting: string | null;
  round: { id: number; eligible: boolean; voted: boolean } | null;
  /** An open round voted at the voting station or on paper: where to vote. */
  elsewhere: { id: number; mode: 'station' | 'paper' } | null;
  meeting: string;
}

export interface BallotSheet {
  round: number;
  context: Context;
  public_key: string;
  lines: BallotLine[];
}

export interface CastAnswer {
  tracker: string;
  tracker_hex: string;
  round_closed: boolean;
  chain_head: string;
  chain_head_hex: string;
  already: boolean;
}

export interface SpoilAnswer {
  tracker: string;
  tracker_hex: string;
  chain_head: string;
}

const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  call<T>(path, { method: 'POST', body: JSON.stringify(body), headers });

export const api = {
  pair: (token: string) => post<Member>('/api/t/pair', { token }),
  /** 不是我: this terminal's session ends; the card may pair again. */
  unpair: () => post<boolean>('/api/t/unpair', {}),
  me: () => call<Me>('/api/t/me'),
  setPresence: (present: boolean) => post<boolean>('/api/t/presence', { present }),
  agenda: () => call<CandidateRow[]>('/api/t/agenda'),
  candidate: (id: string) => call<CandidateDetail>(`/api/t/candidates/${encodeURIComponent(id)}`),
  ballot: () => call<BallotSheet>('/api/t/ballot'),
  /** The idempotency key is the ballot's own tracker: a retry is the same request. */
  cast: (round: number, ballot: Ballot, tracker: string) =>
    post<CastAnswer>('/api/t/ballot', { round, ballot }, { 'Idempotency-Key': tracker }),
  /** 检验: the ballot is spoiled (never counted) and its randomness released to the host. */
  spoil: (round: number, ballot: Ballot, randomness: BallotRandomness, tracker: string) =>
    post<SpoilAnswer>('/api/t/ballot/spoil', { round, ballot, randomness }, { 'Idempotency-Key': tracker }),
};

/** The reading screens, served by the meeting-room server. */
export const terminalReader: Reader = {
  getCandidate: (_meeting, id) => api.candidate(id),
  // The server re-hashes a file before serving any byte of it; an error
  // shows in the viewer when the first range is refused.
  openEvidence: async (_meeting, sha256) => `/api/t/evidence/${sha256}`,
  loadPdf: loadPdfByRanges,
  canPresent: false,
};
