// Values of the package format that are Chinese words in the data itself
// (the spec's achievement levels), mapped to catalogue keys. Data, not UI
// text: the catalogue test allows Chinese here and nowhere else.
import type { Key } from './i18n.svelte';

export const LEVEL_KEYS: Record<string, Key> = {
  国家级: 'level.national',
  省部级: 'level.provincial',
  厅局级: 'level.bureau',
  校级: 'level.school',
  其他: 'level.other',
};
