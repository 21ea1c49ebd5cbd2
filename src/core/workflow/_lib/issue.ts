import type { ValidationIssue } from '../../errors.js';
import { text } from '../../text.js';

/** One validation issue with its Chinese and English message; internal to the engine. */
export function issue(path: string, code: string, zh: string, en: string): ValidationIssue {
  return { path, code, message: text(zh, en) };
}
