import type { IntakeContext } from '@sauti/core';
import { contextText, localise } from '@sauti/core/localised';
import { language } from '../i18n';

/** An operator text in the reporter's language, or the context's default text in its own language. */
export type OpText = { text: string; lang: string };

/** `key` is "name", "description", "category.<id>", "region.<id>", "question.<id>.label" or "question.<id>.help". */
export function opText(context: IntakeContext, key: string, defaultText: string): OpText {
  return localise(contextText(context, key, defaultText), language(), context.defaultLanguage ?? 'en');
}

/**
 * Operator text isolated from the page's direction (<bdi>: "When did it happen?" stays so in an
 * Arabic page) and marked with its language when it is not the page's.
 */
export function Op({ value }: { value: OpText }) {
  return <bdi lang={value.lang === language() ? undefined : value.lang}>{value.text}</bdi>;
}
