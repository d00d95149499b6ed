// The UI language: a reactive current language and `t()` over the two
// catalogues. The backend remembers the choice (settings.json).
import zh from '../i18n/zh';
import en from '../i18n/en';
import type { Lang } from '../bindings/Lang';
import { vocabulary } from '../bindings/vocabulary';

type Vocabulary = typeof vocabulary;
/** A vocabulary's name, `title` …, and one of its codes. */
export type VocabularyName = keyof Vocabulary;
export type Code<N extends VocabularyName> = Vocabulary[N][number]['code'];
/** `title.lab_engineer`: a word's label, from the core's vocabularies. */
type WordKey = { [N in VocabularyName]: `${N}.${Code<N>}` }[VocabularyName];

export type Key = keyof typeof zh | WordKey;

/** The UI's own texts, and every vocabulary's words as the core has them. */
function catalogue(texts: Record<string, string>, lang: Lang): Record<Key, string> {
  const words = Object.entries(vocabulary).flatMap(([name, list]) =>
    list.map((w) => [`${name}.${w.code}`, w[lang]] as const),
  );
  return { ...texts, ...Object.fromEntries(words) } as Record<Key, string>;
}

const catalogues: Record<Lang, Record<Key, string>> = { zh: catalogue(zh, 'zh'), en: catalogue(en, 'en') };

/** The codes of vocabulary `name`, in the core's order. */
export function codes<N extends VocabularyName>(name: N): Code<N>[] {
  return vocabulary[name].map((w) => w.code) as Code<N>[];
}

let current = $state<Lang>('zh');

export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(value: Lang) {
    current = value;
    document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
  },
};

/** The text for `key` in the current language, with `{name}` filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = catalogues[current][key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
