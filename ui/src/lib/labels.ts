import type { Level } from '../bindings/Level';
import type { Key } from './i18n.svelte';

/** Catalogue key of a committee level's label. */
export function levelKey(level: Level): Key {
  return `level.${level}`;
}

export const LEVELS: Level[] = ['senior', 'intermediate', 'junior'];
