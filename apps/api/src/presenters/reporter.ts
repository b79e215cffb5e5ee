import { contextTranslationsSchema, questionSchema, type ContextQuestion, type ContextTranslations, type FileEntry, type Intake, type IntakeLimits, type PowChallenge, type ReporterCase, type ReporterMessage, type ReporterMessagePage } from '@sauti/core';
import type { CaseFileRecord, IntakeContextRow, MessagePage, ReporterCaseRecord } from '@sauti/db';
import { b64, iso, isoOrNull } from './encoding';

/** Questions are stored as questionSchema accepted them; anything else is not served. */
export function storedQuestions(questions: readonly unknown[]): ContextQuestion[] {
  return questions.flatMap((q) => {
    const parsed = questionSchema.safeParse(q);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Translations are stored as contextTranslationsSchema accepted them; anything else is not served. */
export function storedTranslations(translations: unknown): ContextTranslations {
  const parsed = contextTranslationsSchema.safeParse(translations);
  return parsed.success ? parsed.data : {};
}

export function presentIntake(contexts: IntakeContextRow[], receiptSalt: Buffer, limits: IntakeLimits): Intake {
  return {
    protocol: 'SIP/1',
    receiptSalt: b64(receiptSalt),
    limits,
    contexts: contexts.map((c) => ({
      id: c.id, slug: c.slug, name: c.name, channel: c.channel, description: c.description,
      maxExclusions: c.maxExclusions, acknowledgeDays: c.acknowledgeDays, feedbackDays: c.feedbackDays,
      questions: storedQuestions(c.questions), categories: c.categories, regions: c.regions,
      defaultLanguage: c.defaultLanguage, translations: storedTranslations(c.translations),
      recipients: c.recipients.map((p) => ({ id: p.id, displayName: p.displayName, unit: p.unit, publicKey: b64(p.publicKey) })),
      custodians: c.custodians.map((p) => ({ id: p.id, publicKey: b64(p.publicKey) })),
    })),
  };
}

export const presentPowChallenge = (issued: { challenge: string; difficulty: number; expiresAt: Date }): PowChallenge => ({
  challenge: issued.challenge, difficulty: issued.difficulty, expiresAt: iso(issued.expiresAt),
});

export const presentFile = (f: CaseFileRecord): FileEntry => ({
  id: f.id, meta: b64(f.meta), size: f.size, author: f.author, createdAt: iso(f.createdAt),
});

/** Staff names never reach the reporter: only which side wrote. */
export const presentReporterMessage = (m: { id: string; author: 'reporter' | 'staff'; body: Buffer; createdAt: Date }): ReporterMessage => ({
  id: m.id, author: m.author, body: b64(m.body), createdAt: iso(m.createdAt),
});

export const presentReporterMessagePage = (p: MessagePage): ReporterMessagePage => ({ messages: p.messages.map(presentReporterMessage), older: p.older });

export function presentReporterCase(view: ReporterCaseRecord, identityDisclosedAt: Date | null, files: CaseFileRecord[]): ReporterCase {
  return {
    id: view.id,
    reference: view.reference,
    status: view.status,
    statusHistory: view.statusHistory.map((h) => ({ status: h.status, at: iso(h.at) })),
    receivedAt: iso(view.receivedAt),
    acknowledgedAt: isoOrNull(view.acknowledgedAt),
    feedbackDueAt: isoOrNull(view.feedbackDueAt),
    acknowledgeDueAt: isoOrNull(view.acknowledgeDueAt),
    report: b64(view.report),
    reporterSealedKey: b64(view.reporterSealedKey),
    identity: view.identity ? { ciphertext: b64(view.identity.ciphertext), reporterSealedKey: b64(view.identity.reporterSealedKey) } : null,
    // When a custodian let the handling team see the reporter's identity (issue 3); null if never.
    identityDisclosedAt: isoOrNull(identityDisclosedAt),
    messages: view.messages.map(presentReporterMessage),
    olderMessages: view.olderMessages,
    files: files.map(presentFile),
  };
}
