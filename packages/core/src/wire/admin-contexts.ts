import { z } from 'zod';
import { MAX_ACKNOWLEDGE_DAYS, MAX_FEEDBACK_DAYS } from '../routing-rules';
import { uuidV4, type IsoDate } from './common';
import { safeText } from './text';
import type { ContextTranslations, UiLanguage } from '../localised';
import { translationText, uiLanguageSchema } from './localised';

/** Admin: contexts (the intake channels), their categories, regions, recipients and custodians. */

/** Ten years: longer than any retention law we know of asks for a closed case. */
export const MAX_RETENTION_DAYS = 3650;
export const MAX_QUESTIONS = 30;
export const MAX_LIST_ITEMS = 200;

const whole = (what: string, min: number, max: number, why = '') =>
  z
    .number({ error: `must be a whole number of ${what}` })
    .int({ error: `must be a whole number of ${what}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}${why}` });

const text = (max: number) => safeText({ max });

/** Ids of categories, regions and questions end up in routing rules and case rows: short and plain. */
export const listItemId = z
  .string({ error: 'must be a short id' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be 1–64 lowercase letters, digits, "-" or "_", e.g. "bribery-extortion"' });

const slug = z
  .string({ error: 'must be a short name for addresses' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be 1–63 lowercase letters, digits or "-", e.g. "public-traders"' });

export const questionSchema = z.strictObject({
  id: listItemId,
  label: text(300),
  kind: z.enum(['text', 'textarea'], { error: 'must be "text" (one line) or "textarea" (several lines)' }).default('text'),
  required: z.boolean({ error: 'must be true or false' }).default(false),
  /** A hint under the question, optional. */
  help: text(500).optional(),
});

/**
 * Which operator texts of a context can be translated: its name and description, each category's
 * and region's label, each question's label and help.
 */
export const contextTextKey = z
  .string()
  .regex(/^(name|description|(category|region)\.[a-z0-9][a-z0-9_-]{0,63}|question\.[a-z0-9][a-z0-9_-]{0,63}\.(label|help))$/, {
    error: 'must be "name", "description", "category.<id>", "region.<id>", "question.<id>.label" or "question.<id>.help"',
  });

export const contextTranslationsSchema = z.partialRecord(
  uiLanguageSchema,
  z.record(contextTextKey, translationText(2000), { error: 'must map text keys to their translation' }),
  { error: 'must map UI languages (en, fr, ar, es, pt, sw) to translations' },
);


const questions = z
  .array(questionSchema, { error: 'must be a list of questions' })
  .max(MAX_QUESTIONS, { error: `must have at most ${MAX_QUESTIONS} questions` })
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, { error: 'uses a question id twice' });

const listItem = z.strictObject({ id: listItemId, label: text(200) });
const listItems = z
  .array(listItem, { error: 'must be a list of { id, label }' })
  .max(MAX_LIST_ITEMS, { error: `must have at most ${MAX_LIST_ITEMS} entries` })
  .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { error: 'uses an id twice' });

const fields = {
  name: text(120),
  description: safeText({ max: 2000, min: 0 }),
  channel: z.enum(['public', 'internal'], { error: 'must be "public" (anyone) or "internal" (customs staff)' }),
  active: z.boolean({ error: 'must be true or false' }),
  position: whole('places', 0, 10_000),
  maxExclusions: whole('people', 0, 20),
  acknowledgeDays: whole('days', 1, MAX_ACKNOWLEDGE_DAYS, ' (EU Directive 2019/1937: acknowledge within 7 days)'),
  feedbackDays: whole('days', 1, MAX_FEEDBACK_DAYS, ' (six months, the legal limit for feedback)'),
  retentionDays: whole('days', 1, MAX_RETENTION_DAYS),
  reminderDaysBefore: whole('days', 0, 30),
  questions,
  /** The language the default texts are written in: what a reporter sees when there is no translation. */
  defaultLanguage: uiLanguageSchema,
  translations: contextTranslationsSchema,
};

export const contextCreateSchema = z.strictObject({
  slug,
  name: fields.name,
  channel: fields.channel,
  description: fields.description.default(''),
  active: fields.active.default(true),
  position: fields.position.default(0),
  maxExclusions: fields.maxExclusions.default(1),
  acknowledgeDays: fields.acknowledgeDays.default(7),
  feedbackDays: fields.feedbackDays.default(90),
  retentionDays: fields.retentionDays.default(365),
  reminderDaysBefore: fields.reminderDaysBefore.default(2),
  questions: questions.default([]),
  categories: listItems.default([]),
  regions: listItems.default([]),
  defaultLanguage: fields.defaultLanguage.default('en'),
  translations: fields.translations.default({}),
});
export type ContextCreate = z.infer<typeof contextCreateSchema>;

export const contextUpdateSchema = z
  .strictObject({
    slug: slug.optional(),
    name: fields.name.optional(),
    description: fields.description.optional(),
    channel: fields.channel.optional(),
    active: fields.active.optional(),
    position: fields.position.optional(),
    maxExclusions: fields.maxExclusions.optional(),
    acknowledgeDays: fields.acknowledgeDays.optional(),
    feedbackDays: fields.feedbackDays.optional(),
    retentionDays: fields.retentionDays.optional(),
    reminderDaysBefore: fields.reminderDaysBefore.optional(),
    questions: questions.optional(),
    defaultLanguage: fields.defaultLanguage.optional(),
    translations: fields.translations.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: 'change at least one field' });
export type ContextUpdate = z.infer<typeof contextUpdateSchema>;

export const listItemCreateSchema = listItem;
export const listItemRenameSchema = z.strictObject({ label: text(200) });
export const listOrderSchema = z.strictObject({
  ids: z
    .array(listItemId, { error: 'must be the list of ids in the new order' })
    .max(MAX_LIST_ITEMS)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'names an id twice' }),
});
export const contextPeopleSchema = z.strictObject({
  userIds: z
    .array(uuidV4, { error: 'must be a list of staff ids' })
    .max(500, { error: 'must have at most 500 people' })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'names a person twice' }),
});

/** A reminder must fall inside the acknowledgement period to be of any use. */
export function deadlineIssues(c: { acknowledgeDays: number; reminderDaysBefore: number }): { field: string; message: string }[] {
  return c.reminderDaysBefore >= c.acknowledgeDays
    ? [{ field: 'reminderDaysBefore', message: `must be less than acknowledgeDays (${c.acknowledgeDays}), or the reminder would come before the report` }]
    : [];
}

/** A question of a context's form, as configured and as served in GET /api/v1/intake. */
export type ContextQuestion = { id: string; label: string; kind: 'text' | 'textarea'; required: boolean; help?: string };
export type ListItem = { id: string; label: string };
export type PersonRef = { id: string; displayName: string; status: string; hasKey: boolean };

/** A context as an administrator sees it (GET /api/v1/admin/contexts items, and every change's answer). */
export type ContextRow = {
  id: string; slug: string; name: string; description: string; channel: 'public' | 'internal'; active: boolean; position: number;
  maxExclusions: number; acknowledgeDays: number; feedbackDays: number; retentionDays: number; reminderDaysBefore: number;
  questions: ContextQuestion[]; categories: ListItem[]; regions: ListItem[]; recipients: PersonRef[]; custodians: PersonRef[];
  defaultLanguage: UiLanguage; translations: ContextTranslations;
  createdAt: IsoDate;
};
export type ContextListAnswer = { items: ContextRow[] };
export type ContextListName = 'categories' | 'regions';
export type ContextPeopleName = 'recipients' | 'custodians';
