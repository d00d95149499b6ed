// Types of audited.js (a plain ES module, as the rest of the verifier page).
export function checkAudited(
  audited: unknown[],
  boxes: unknown,
  entries: { kind: string; detail: string }[],
  r: { ran: (step: string, n: number) => void; fail: (step: string, problem: unknown[]) => void },
): void;
