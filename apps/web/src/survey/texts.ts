import { language } from '../i18n';
import type { LocalizedText } from '../crypto/protocol';

/** A survey text in the reader's language, else its default (the operator's translations, like contexts). */
export function pick(text: LocalizedText): string {
  const lang = language();
  return text.byLang?.[lang] ?? text.default;
}

/** Milliseconds to wait before sending (docs/protocol.md §10.3); "#delay=0" in the URL turns it off for demonstrations and tests. */
export function submitDelayMs(): number {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('delay');
  return fromHash !== null && /^\d{1,6}$/.test(fromHash) ? Number(fromHash) : 20_000;
}
