import type { Level } from '../bindings/Level';
import type { Key } from './i18n.svelte';

/** Catalogue key of a committee level's label. */
export function levelKey(level: Level): Key {
  return `level.${level}`;
}

export const LEVELS: Level[] = ['senior', 'intermediate', 'junior'];

/** Catalogue key of a title code (`senior_lab_engineer` …). */
export function titleKey(code: string): Key {
  return `title.${code}` as Key;
}

/** Catalogue key of a track code; `null` (not given) reads as 未填写. */
export function trackKey(code: string | null): Key {
  return code ? (`track.${code}` as Key) : 'common.notGiven';
}

/** `12.3 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
