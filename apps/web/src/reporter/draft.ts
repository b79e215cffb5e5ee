import type { IntakeContext } from '@sauti/core';
import type { ReportBody, SubmitArgs } from '../crypto/protocol';
import { t } from '../i18n';
import { opText } from './operator-text';

export type Question = { id: string; kind: string; label: string; required: boolean; help?: string };

/** Everything the reporter has entered; it lives in memory only and is gone when the tab closes. */
export type Draft = {
  draftId: string;
  contextId: string;
  category: string;
  region: string;
  urgent: boolean;
  answers: Record<string, string>;
  text: string;
  exclude: string[];
  files: File[];
  identityMode: 'anonymous' | 'confidential';
  name: string;
  contact: string;
};

export const newDraftId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

export function emptyDraft(): Draft {
  return {
    draftId: newDraftId(), contextId: '', category: '', region: '', urgent: false, answers: {}, text: '', exclude: [], files: [],
    identityMode: 'anonymous', name: '', contact: '',
  };
}

/** Questions as the context defines them; anything malformed is skipped rather than shown broken. */
export function questionsOf(context: IntakeContext): Question[] {
  return (context.questions as Partial<Question>[]).filter(
    (q): q is Question => typeof q?.id === 'string' && typeof q.label === 'string',
  ).map((q) => ({ ...q, kind: q.kind === 'textarea' ? 'textarea' : 'text', required: q.required === true, help: typeof q.help === 'string' ? q.help : undefined }));
}

export type FieldError = { id: string; message: string };

export function channelErrors(d: Draft): FieldError[] {
  return d.contextId ? [] : [{ id: 'channel-0', message: t('channel.required') }];
}

export function detailErrors(d: Draft, context: IntakeContext, maxBytes: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!d.category) errors.push({ id: 'category', message: t('details.categoryRequired') });
  const questions = questionsOf(context);
  for (const q of questions) {
    if (q.required && !(d.answers[q.id] ?? '').trim()) errors.push({ id: `q-${q.id}`, message: t('details.answerRequired', { question: `\u2068${opText(context, `question.${q.id}.label`, q.label).text}\u2069` }) });
  }
  const anyText = questions.some((q) => (d.answers[q.id] ?? '').trim()) || d.text.trim();
  if (!anyText) errors.push({ id: 'free-text', message: t('details.textRequired') });
  // The sealed report must fit the server's limit; UTF-8 bytes plus JSON framing are a fair estimate.
  const size = new TextEncoder().encode(JSON.stringify(reportBody(d, context))).length;
  if (size > maxBytes - 1024) errors.push({ id: 'free-text', message: t('details.tooLong') });
  return errors;
}

export function exclusionErrors(d: Draft, context: IntakeContext): FieldError[] {
  if (d.exclude.length > context.maxExclusions) return [{ id: 'exclusions', message: t('exclusions.tooMany', { n: context.maxExclusions }) }];
  if (d.exclude.length >= context.recipients.length) return [{ id: 'exclusions', message: t('exclusions.noneLeft') }];
  return [];
}

export function identityErrors(d: Draft): FieldError[] {
  if (d.identityMode !== 'confidential') return [];
  const errors: FieldError[] = [];
  if (!d.name.trim()) errors.push({ id: 'identity-name', message: t('identity.nameRequired') });
  if (!d.contact.trim()) errors.push({ id: 'identity-contact', message: t('identity.contactRequired') });
  return errors;
}

export function reportBody(d: Draft, context: IntakeContext): ReportBody {
  return {
    v: 1,
    answers: questionsOf(context)
      .filter((q) => (d.answers[q.id] ?? '').trim())
      .map((q) => ({ id: q.id, label: q.label, value: (d.answers[q.id] ?? '').trim() })),
    text: d.text.trim(),
  };
}

export function submitArgs(d: Draft, context: IntakeContext, language: string): SubmitArgs {
  return {
    draftId: d.draftId,
    contextId: context.id,
    category: d.category,
    region: d.region || null,
    language,
    urgent: d.urgent,
    exclude: d.exclude,
    body: reportBody(d, context),
    identity: context.channel === 'internal' && d.identityMode === 'confidential' ? { v: 1, name: d.name.trim(), contact: d.contact.trim() } : null,
  };
}
