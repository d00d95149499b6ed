// How a generated call (../bindings/commands.ts) reaches the core: errors
// the core reported become BackendErrors, already in the UI language.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { ApiError } from '../bindings/ApiError';

/** An error the core reported, already in the UI language. */
export class BackendError extends Error {
  readonly code: string;
  readonly where: string;
  constructor(e: ApiError) {
    super(e.message);
    this.code = e.code;
    this.where = e.where;
  }
}

function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw isApiError(e) ? new BackendError(e) : e;
  }
}

/** A channel whose messages go to `on`. */
export function channel<T>(on: (message: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = on;
  return c;
}
