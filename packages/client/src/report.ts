import { deriveReceiptKeys, fromB64, generateReceipt, randomUuid, sealReport, toB64, type ReceiptKeys } from '@sauti/crypto';
import type { Intake, IntakeContext, OnBehalfRequest, ReportRequest, SubmitAnswer } from '@sauti/core';
import { paths } from './paths';
import type { ApiAnswer, Transport } from './transport';

export type PreparedReport = { request: ReportRequest; receipt: string; caseKey: Uint8Array; reporterKeys: ReceiptKeys };

export type ReportOptions = {
  context: IntakeContext;
  /** The report body (docs/protocol.md §9), sealed as given. */
  body: unknown;
  category: string;
  region?: string | null;
  language?: string;
  urgent?: boolean;
  exclude?: string[];
  identity?: unknown;
  receipt?: string;
  reporterKeys?: ReceiptKeys;
  caseId?: string;
};

/**
 * Seals a report for a context (docs/protocol.md §4). `reporterKeys` may be given to skip Argon2id
 * (benchmarks pre-compute them); otherwise a new receipt is drawn and its keys derived.
 */
export function prepareReport(intake: Intake, options: ReportOptions): PreparedReport {
  const receipt = options.receipt ?? generateReceipt();
  const reporterKeys = options.reporterKeys ?? deriveReceiptKeys(receipt, fromB64(intake.receiptSalt));
  const exclude = options.exclude ?? [];
  const caseId = options.caseId ?? randomUuid();
  const sealed = sealReport({
    caseId,
    body: options.body,
    recipients: options.context.recipients.filter((r) => !exclude.includes(r.id)).map((r) => ({ id: r.id, publicKey: fromB64(r.publicKey) })),
    reporterPublicKey: reporterKeys.keyPair.publicKey,
    identity:
      options.identity === undefined
        ? null
        : { body: options.identity, custodians: options.context.custodians.map((c) => ({ id: c.id, publicKey: fromB64(c.publicKey) })) },
  });
  return {
    receipt,
    caseKey: sealed.caseKey,
    reporterKeys,
    request: {
      id: caseId,
      contextId: options.context.id,
      routing: { category: options.category, region: options.region ?? null, language: options.language ?? 'en', urgent: options.urgent ?? false },
      excludedRecipientIds: exclude,
      report: toB64(sealed.report),
      keyWraps: sealed.keyWraps.map((w) => ({ recipientId: w.recipientId, sealedKey: toB64(w.sealedKey) })),
      reporter: { lookup: toB64(reporterKeys.lookup), publicKey: toB64(reporterKeys.keyPair.publicKey), sealedKey: toB64(sealed.reporterSealedKey) },
      identity: sealed.identity
        ? {
            ciphertext: toB64(sealed.identity.ciphertext),
            keyWraps: sealed.identity.keyWraps.map((w) => ({ recipientId: w.recipientId, sealedKey: toB64(w.sealedKey) })),
            reporterSealedKey: toB64(sealed.identity.reporterSealedKey),
          }
        : null,
    },
  };
}

/** POST /api/v1/reports: 201 first time, 200 for the same bytes again; a string is sent as is (tests send broken JSON). */
export function submitReport(t: Transport, request: ReportRequest | string): Promise<ApiAnswer<SubmitAnswer & { error?: string }>> {
  return t.call('POST', paths.reports, request);
}

/**
 * POST /api/v1/staff/on-behalf-reports: the same sealed report, filed by a signed-in intake officer
 * for someone who phoned, came in or wrote; no proof of work. 201 first time, 200 for the same bytes.
 */
export function submitOnBehalf(t: Transport, request: OnBehalfRequest): Promise<ApiAnswer<SubmitAnswer & { error?: string }>> {
  return t.call('POST', paths.staff.onBehalfReports, request);
}
