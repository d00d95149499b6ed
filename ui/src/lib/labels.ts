import type { Level } from '../bindings/Level';
import type { Flag } from '../bindings/Flag';
import { t, type Key } from './i18n.svelte';
import { LEVEL_KEYS } from './vocab';

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


/** A flag as a person reads it. */
export function flagText(flag: Flag): string {
  switch (flag.kind) {
    case 'missing':
      return t('flag.missing', { fields: flag.fields.map((f) => t(`field.${f}` as Key)).join('、') });
    case 'few_reviewers':
      return t('flag.few_reviewers_n', { n: flag.count });
    default:
      return t(`flag.${flag.kind}` as Key);
  }
}

/** The note a flag carries (conduct, integrity), if any. */
export function flagNote(flag: Flag): string | null {
  return flag.kind === 'ethics_failed' || flag.kind === 'integrity_not_clean' ? flag.note : null;
}

/** Flags that mean a problem (shown red) rather than a fact (shown amber). */
export function isSevere(flag: Flag): boolean {
  return ['ethics_failed', 'integrity_not_clean', 'outside_level'].includes(flag.kind);
}

export function categoryKey(code: string): Key {
  return `category.${code}` as Key;
}


/** The achievement levels in order, as stored (Chinese labels). */
export const ACHIEVEMENT_LEVELS = Object.keys(LEVEL_KEYS);

export function achievementLevelText(level: string | null): string {
  return level ? t(LEVEL_KEYS[level] ?? 'level.other') : t('common.notGiven');
}

export function opinionKey(recommendation: string | null): Key {
  return recommendation ? (`opinion.${recommendation}` as Key) : 'common.notGiven';
}

/** Achievement categories in the spec's order. */
export const CATEGORIES = [
  'project_report', 'experiment_report', 'technical_report', 'conference_report', 'paper', 'book', 'patent',
  'standard', 'equipment', 'tech_development', 'platform', 'problem_solving', 'tech_transfer', 'tech_promotion',
  'teaching', 'student_guidance', 'lab_management', 'consulting', 'public_service', 'award', 'other',
];
