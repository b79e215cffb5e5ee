import type { B64 } from './common';
import type { ContextQuestion } from './admin-contexts';
import type { ContextTranslations, UiLanguage } from '../localised';

/** GET /api/v1/intake: the public data a reporter's client needs to seal a report (docs/protocol.md §4). */

export type IntakePerson = { id: string; displayName: string; unit: string | null; publicKey: B64 };

export type IntakeContext = {
  id: string;
  slug: string;
  name: string;
  channel: 'public' | 'internal';
  description: string;
  maxExclusions: number;
  acknowledgeDays: number;
  feedbackDays: number;
  questions: ContextQuestion[];
  categories: { id: string; label: string }[];
  regions: { id: string; label: string }[];
  recipients: IntakePerson[];
  custodians: { id: string; publicKey: B64 }[];
  /** The language of the texts above, and their translations (see contextText / localise). */
  defaultLanguage: UiLanguage;
  translations: ContextTranslations;
};

export type IntakeLimits = { reportMaxBytes: number; fileMaxBytes: number; caseFilesMaxBytes: number; caseFilesMaxCount: number };

export type Intake = {
  protocol: string;
  receiptSalt: B64;
  limits: IntakeLimits;
  contexts: IntakeContext[];
};
