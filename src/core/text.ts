/** A language the library speaks: Chinese (the charter's own) or English. */
export type Locale = 'zh' | 'en';

/** A message in both languages the charter's readers use. */
export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

/**
 * Builds a bilingual message.
 *
 * @example
 * const m = text('事件已关闭', 'Incident closed');
 * m.en; // 'Incident closed'
 */
export function text(zh: string, en: string): LocalizedText {
  return { zh, en };
}
