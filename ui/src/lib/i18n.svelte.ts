// The UI language: a reactive current language and `t()` over the two
// catalogues. The backend remembers the choice (settings.json).
import zh from '../i18n/zh';
import en from '../i18n/en';
import type { Lang } from '../bindings/Lang';

export type Key = keyof typeof zh;

const catalogues: Record<Lang, Record<Key, string>> = { zh, en };

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
