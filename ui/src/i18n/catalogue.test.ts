import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import zh from './zh';
import en from './en';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'i18n' || f === 'bindings' ? [] : sources(p);
    return /\.(svelte|ts)$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });
}

describe('catalogues', () => {
  it('zh and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('no catalogue entry is empty', () => {
    for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) {
      expect(v.trim(), `entry ${k}`).not.toBe('');
    }
  });

  it('placeholders agree between languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zh) as Array<keyof typeof zh>) {
      expect(names(en[k]), `placeholders of ${k}`).toEqual(names(zh[k]));
    }
  });

  it('no component hard-codes Chinese text', () => {
    const han = /[\u3400-\u9fff\u{20000}-\u{2ffff}]/u;
    const offenders = sources(join(import.meta.dirname, '..')).filter((p) => {
      const text = readFileSync(p, 'utf8').replace(/\/\/.*$/gm, '').replace(/<!--[\s\S]*?-->/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
      return han.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
