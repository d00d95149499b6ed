// Legibility minimums (issue: a 60-year-old reads these screens): no text in
// the window, the terminals or the verifier is set smaller than 12 px, the
// secondary size; body text stays at 15 px (≥ 14 px). Sizes are rem of the
// 15 px root, or px.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT_PX = 15;
const SECONDARY_MIN_PX = 12;

function styled(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'bindings' ? [] : styled(p);
    return /\.(svelte|css)$/.test(f) ? [p] : [];
  });
}

/** Every font size declared in `text`, in px, with its line number. */
export function fontSizes(text: string): { line: number; px: number; raw: string }[] {
  const found: { line: number; px: number; raw: string }[] = [];
  text.split('\n').forEach((l, i) => {
    for (const m of l.matchAll(/font-size:\s*([0-9.]+)(px|rem|em)\b/g)) {
      const n = Number(m[1]);
      found.push({ line: i + 1, px: m[2] === 'px' ? n : n * ROOT_PX, raw: m[0] });
    }
  });
  return found;
}

describe('legibility', () => {
  it('reads sizes as the browser would', () => {
    expect(fontSizes('a { font-size: 0.75rem; }\nb { font-size: 11px }')).toEqual([
      { line: 1, px: 11.25, raw: 'font-size: 0.75rem' },
      { line: 2, px: 11, raw: 'font-size: 11px' },
    ]);
  });

  it('no text is smaller than 12 px', () => {
    const pages = readdirSync(join(__dirname, '..', '..'))
      .filter((f) => f.endsWith('.html'))
      .map((f) => join(__dirname, '..', '..', f));
    const small = [...styled(join(__dirname, '..')), ...pages].flatMap((f) =>
      fontSizes(readFileSync(f, 'utf8'))
        .filter((s) => s.px < SECONDARY_MIN_PX - 0.01)
        .map((s) => `${f}:${s.line} ${s.raw} (${s.px} px)`),
    );
    expect(small).toEqual([]);
  });

  it('body text is at least 14 px', () => {
    const css = readFileSync(join(__dirname, '..', 'app.css'), 'utf8');
    const root = css.match(/:root\s*\{[^}]*font-size:\s*(\d+)px/);
    expect(Number(root?.[1])).toBeGreaterThanOrEqual(14);
  });
});

/** Every input, select and textarea in `svelte` that has no label: inside a
 * <label>, a `for=` naming its id, or an aria-label. Returns "line: tag". */
export function unlabeled(svelte: string): string[] {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  const s = svelte.replace(/<script[\s\S]*?<\/script>/g, blank).replace(/<style[\s\S]*?<\/style>/g, blank);
  const out: string[] = [];
  for (const m of s.matchAll(/<(input|select|textarea)\b([^>]*?)\/?>/g)) {
    const attrs = m[2];
    const before = s.slice(0, m.index);
    const insideLabel = (before.match(/<label\b/g) ?? []).length > (before.match(/<\/label>/g) ?? []).length;
    const id = attrs.match(/\bid=(?:"([^"]+)"|\{`([^`]+)`\})/);
    const labelledFor = id !== null && s.includes(`for=${id[1] ? `"${id[1]}"` : `{\`${id[2]}\`}`}`);
    if (insideLabel || labelledFor || /\baria-label(ledby)?=/.test(attrs) || /type="hidden"/.test(attrs)) continue;
    out.push(`${before.split('\n').length}: <${m[1]}`);
  }
  return out;
}

describe('labels', () => {
  it('finds an input without a label, and accepts each way of labelling', () => {
    expect(unlabeled('<input bind:value={x} />')).toEqual(['1: <input']);
    expect(unlabeled('<label>Name <input /></label>')).toEqual([]);
    expect(unlabeled('<label for="a">A</label><input id="a" />')).toEqual([]);
    expect(unlabeled('<label for={`p-${i}`}>P</label><input id={`p-${i}`} />')).toEqual([]);
    expect(unlabeled('<select aria-label={t("x")}></select>')).toEqual([]);
  });

  it('every input of the window and the terminals is labelled (for screen readers too)', () => {
    const found = styled(join(__dirname, '..'))
      .filter((f) => f.endsWith('.svelte'))
      .flatMap((f) => unlabeled(readFileSync(f, 'utf8')).map((u) => `${f}:${u}`));
    expect(found).toEqual([]);
  });
});
