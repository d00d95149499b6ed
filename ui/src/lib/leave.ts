// Leaving a meeting must never stop its meeting-room network silently: the
// members' terminals drop with it.
import { backend } from './backend';
import type { SessionView } from '../bindings/SessionView';

/** The number of the round members are voting in on their terminals, if any. */
export function openRound(session: SessionView): number | null {
  return session.rounds.find((r) => r.closed_at === null && r.mode !== 'paper')?.id ?? null;
}

/** What leaving meeting `id` asks: nothing, a confirmation, or a refusal naming the open round. */
export type Leaving = { kind: 'free' } | { kind: 'ask' } | { kind: 'refused'; round: number };

export async function leaving(id: string): Promise<Leaving> {
  // A meeting whose terminals cannot be read (a damaged file) does not trap
  // the secretary on its screen; its network, if any, is left running.
  const status = await backend.networkStatus(id).catch(() => null);
  if (!status?.running) return { kind: 'free' };
  const round = openRound(await backend.meetingSession(id));
  return round === null ? { kind: 'ask' } : { kind: 'refused', round };
}
