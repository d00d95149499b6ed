import { BackendError } from './backend';
import { t } from './i18n.svelte';

/** A failure as the error banner shows it. */
export interface Problem {
  message: string;
  where: string;
}

export function toProblem(e: unknown): Problem {
  if (e instanceof BackendError) return { message: e.message, where: e.where };
  return { message: t('error.unexpected', { detail: String(e) }), where: '' };
}

/**
 * Runs a user action: clears the shown problem, runs `f`, then `after` on
 * success, or shows what went wrong.
 */
export function actor(show: (p: Problem | null) => void, after: () => void = () => {}) {
  return async (f: () => Promise<unknown>): Promise<void> => {
    show(null);
    try {
      await f();
      after();
    } catch (e) {
      show(toProblem(e));
    }
  };
}
