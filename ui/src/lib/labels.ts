import type { Level } from '../bindings/Level';
import type { Flag } from '../bindings/Flag';
import type { Check } from '../bindings/Check';
import { codes, i18n, t, type Key } from './i18n.svelte';
import { vocabulary } from '../bindings/vocabulary';

/** Catalogue key of a committee level's label. */
export function levelKey(level: Level): Key {
  return `level.${level}`;
}

export const LEVELS: Level[] = codes('level');

/** A committee level as the new-meeting form offers it: with its scope where it has one. */
export function levelOption(level: Level): string {
  return level === 'intermediate'
    ? t(levelKey(level))
    : t('new.levelOption', { level: t(levelKey(level)), scope: t(`new.levelScope.${level}`) });
}

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
    case 'conditions':
      return t('flag.conditions', { outcome: t(`condition.${flag.check.outcome}`), detail: checkText(flag.check) });
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
  if (flag.kind === 'conditions') return flag.bars;
  return ['ethics_failed', 'integrity_not_clean', 'outside_level'].includes(flag.kind);
}

/** An application-conditions check's numbers in the current language. */
export function checkText(check: Check): string {
  return i18n.lang === 'zh' ? check.zh : check.en;
}

export function categoryKey(code: string): Key {
  return `category.${code}` as Key;
}


/** The achievement levels in order, as stored (the package's Chinese words). */
export const ACHIEVEMENT_LEVELS: string[] = vocabulary.achievement_level.map((w) => w.zh);

export function achievementLevelText(level: string | null): string {
  const word = vocabulary.achievement_level.find((w) => w.zh === level);
  return level ? t(`achievement_level.${word?.code ?? 'other'}`) : t('common.notGiven');
}

/** A recusal's reason: a word of the vocabulary, or the secretary's own. */
export function recusalReasonText(reason: string): string {
  return (codes('recusal_reason') as string[]).includes(reason) ? t(`recusal_reason.${reason}` as Key) : reason;
}

export function opinionKey(recommendation: string | null): Key {
  return recommendation ? (`opinion.${recommendation}` as Key) : 'common.notGiven';
}

/** Achievement categories in the spec's order. */
export const CATEGORIES: string[] = codes('category');
