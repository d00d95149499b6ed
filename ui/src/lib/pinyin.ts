// Pinyin-aware search matching for the candidate list.
//
// A query matches a text when, case-insensitively and ignoring whitespace, it
// is a substring of the text itself, of its pinyin initials ("gxdx") or of its
// full toneless pinyin ("guangxidaxue"). The pinyin keys of each text are
// computed once and memoised, so filtering a few hundred candidates per
// keystroke is a handful of Map look-ups and substring tests.
import { pinyin } from 'pinyin-pro';

// Characters pinyin-pro has no reading for but which occur in names.
// Written as escapes: the catalogue test forbids Han characters in sources.
const SUPPLEMENT: Record<string, string> = {
  '\u{20BB7}': 'ji', // the "tu ji" variant of ji2 (common in names)
};

const OPTIONS = { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true } as const;

const strip = (s: string) => s.toLowerCase().replace(/[\s\u00b7\u30fb]+/g, '');

/** The pinyin keys (initials, full) of `text`; `surname` reads the leading character(s) as a surname. */
function keysOf(text: string, surname: boolean): string[] {
  const opts = surname ? { ...OPTIONS, surname: 'head' as const } : OPTIONS;
  let full: string[];
  let first: string[];
  try {
    full = pinyin(text, opts);
    first = pinyin(text, { ...opts, pattern: 'first' });
  } catch {
    return [];
  }
  if (full.length !== first.length) return [strip(full.join(''))];
  let f = '';
  let i = '';
  full.forEach((tok, n) => {
    if (tok !== first[n]) {
      f += tok;
      i += first[n];
      return;
    }
    // Not converted (non-Chinese text, or a character without data): keep
    // it as-is, except for the few characters we know a reading for.
    for (const ch of tok) {
      const sup = SUPPLEMENT[ch];
      f += sup ?? ch;
      i += sup ? sup[0] : ch;
    }
  });
  return [strip(i), strip(f)];
}

const cache = new Map<string, string[]>();
const CACHE_LIMIT = 10_000;

/** Memoised search keys for `text`: the plain text plus its pinyin forms. */
export function searchKeys(text: string, opts: { name?: boolean } = {}): string[] {
  const id = (opts.name ? 'n' : 'o') + text;
  let keys = cache.get(id);
  if (!keys) {
    const all = [text.toLowerCase(), ...keysOf(text, false)];
    // Names: also the surname reading of polyphonic surnames (e.g. shan/dan, zeng/ceng).
    if (opts.name) all.push(...keysOf(text, true));
    keys = [...new Set(all)];
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, keys);
  }
  return keys;
}

/**
 * Whether `query` finds `text`: plain substring (case-insensitive), pinyin
 * initials substring or full toneless pinyin substring. Pass `{ name: true }`
 * for person names so polyphonic surnames also match their surname reading.
 */
export function matches(text: string, query: string, opts: { name?: boolean } = {}): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const keys = searchKeys(text, opts);
  if (keys[0].includes(q)) return true;
  const compact = strip(q).replace(/\u00fc/g, 'v');
  return compact !== '' && keys.some((k) => k.includes(compact));
}
