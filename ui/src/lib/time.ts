// Times as people in the meeting room read them: local time, 24-hour,
// `YYYY-MM-DD HH:MM` in Chinese and `2 Dec 2026, 14:05` in English, decided
// by the app's language, never by the OS locale (WebKitGTK's
// toLocaleString follows the OS and gave `12/1/2026, 7:18:49 PM`).
import type { Lang } from '../bindings/Lang';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time of a stored (RFC 3339, UTC) instant; '' when absent or unreadable. */
export function dateTime(at: string | null | undefined, lang: Lang): string {
  const d = parse(at);
  if (!d) return at ?? '';
  const time = clock(d);
  return lang === 'zh'
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`
    : `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${time}`;
}

/** Local `HH:MM` (24-hour) of a stored instant; '' when absent. */
export function timeOfDay(at: string | null | undefined): string {
  const d = parse(at);
  return d ? clock(d) : (at ?? '');
}

function clock(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function parse(at: string | null | undefined): Date | null {
  if (!at) return null;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? null : d;
}
