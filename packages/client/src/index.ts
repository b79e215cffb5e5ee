import {
  decryptMessage,
  deriveReceiptKeys,
  encryptMessage,
  formatReceipt,
  fromB64,
  generateReceipt,
  openReport,
  openReporterKey,
  randomUuid,
  sealReport,
  solvePow,
  toB64,
  type KeyPair,
  type ReceiptKeys,
} from '@sauti/crypto';
import { readAnswer, type ApiAnswer } from './answer';

export type { ApiAnswer } from './answer';

/** What GET /api/v1/intake answers. */
export type Intake = {
  protocol: string;
  receiptSalt: string;
  limits: { reportMaxBytes: number; fileMaxBytes: number; caseFilesMaxBytes: number; caseFilesMaxCount: number };
  contexts: IntakeContext[];
};
export type IntakePerson = { id: string; displayName: string; unit: string | null; publicKey: string };
export type IntakeContext = {
  id: string; slug: string; name: string; channel: 'public' | 'internal'; description: string; maxExclusions: number;
  acknowledgeDays: number; feedbackDays: number; questions: unknown[];
  categories: { id: string; label: string }[]; regions: { id: string; label: string }[];
  recipients: IntakePerson[]; custodians: { id: string; publicKey: string }[];
};

export type ReportRequest = {
  id: string;
  contextId: string;
  routing: { category: string; region: string | null; language: string; urgent: boolean };
  excludedRecipientIds: string[];
  report: string;
  keyWraps: { recipientId: string; sealedKey: string }[];
  reporter: { lookup: string; publicKey: string; sealedKey: string };
  identity: null | { ciphertext: string; keyWraps: { recipientId: string; sealedKey: string }[]; reporterSealedKey: string };
  pow?: { challenge: string; nonce: string };
};

export type PreparedReport = { request: ReportRequest; receipt: string; caseKey: Uint8Array; reporterKeys: ReceiptKeys };


/**
 * A SIP/1 reporter client over fetch, written only from PROTOCOL.md. Runs in Node and browsers.
 * Each step is a separate call so that tests and benchmarks can prepare, solve and send apart.
 */
export class ReporterClient {
  token: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...this.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return readAnswer<T>(response);
  }

  async intake(): Promise<Intake> {
    const answer = await this.call<Intake>('GET', '/api/v1/intake');
    if (answer.status !== 200) throw new Error(`intake answered ${answer.status}`);
    return answer.body;
  }

  /** Asks for a challenge and solves it (PROTOCOL.md §6). */
  async proofOfWork(onProgress?: (tried: number) => void): Promise<{ challenge: string; nonce: string }> {
    const answer = await this.call<{ challenge: string; difficulty: number }>('POST', '/api/v1/pow');
    if (answer.status !== 201) throw new Error(`pow answered ${answer.status}`);
    return { challenge: answer.body.challenge, nonce: solvePow(answer.body.challenge, answer.body.difficulty, onProgress) };
  }

  submit(request: ReportRequest | string): Promise<ApiAnswer<{ id: string; reference: string; status: string; receivedAt: string; error?: string }>> {
    return this.call('POST', '/api/v1/reports', request);
  }

  /** §5: derive the receipt's keys and open a session. */
  async login(receipt: string, receiptSalt: string): Promise<{ status: number; keys: ReceiptKeys }> {
    const keys = deriveReceiptKeys(receipt, fromB64(receiptSalt));
    const answer = await this.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(keys.authKey) });
    if (answer.status === 201) this.token = answer.body.token;
    return { status: answer.status, keys };
  }

  getCase(): Promise<ApiAnswer<ReporterCase>> {
    return this.call('GET', '/api/v1/reporter/case');
  }

  sendMessage(caseKey: Uint8Array, caseId: string, text: string, messageId: string = randomUuid()): Promise<ApiAnswer> {
    return this.call('POST', '/api/v1/reporter/case/messages', { id: messageId, body: toB64(encryptMessage(caseKey, caseId, messageId, text)) });
  }

  async logout(): Promise<number> {
    const answer = await this.call('DELETE', '/api/v1/reporter/session');
    this.token = null;
    return answer.status;
  }
}

export type ReporterCase = {
  id: string; reference: string; status: string; statusHistory: { status: string; at: string }[];
  receivedAt: string; acknowledgedAt: string | null; feedbackDueAt: string | null;
  report: string; reporterSealedKey: string; identity: null | { ciphertext: string; reporterSealedKey: string };
  messages: { id: string; author: 'reporter' | 'staff'; body: string; createdAt: string }[];
  files: unknown[];
};

/**
 * Seals a report for a context (PROTOCOL.md §4). `reporterKeys` may be given to skip Argon2id
 * (benchmarks pre-compute them); otherwise a new receipt is drawn and its keys derived.
 */
export function prepareReport(
  intake: Intake,
  options: {
    context: IntakeContext;
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
  },
): PreparedReport {
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

/** Opens the reporter's own view of its case with the receipt's key pair. */
export function openReporterCase(view: ReporterCase, keyPair: KeyPair): { caseKey: Uint8Array; report: unknown; messages: { id: string; author: string; text: string }[] } {
  const caseKey = openReporterKey(keyPair, fromB64(view.reporterSealedKey));
  return {
    caseKey,
    report: openReport(caseKey, view.id, fromB64(view.report)),
    messages: view.messages.map((m) => ({ id: m.id, author: m.author, text: decryptMessage(caseKey, view.id, m.id, fromB64(m.body)) })),
  };
}

export { formatReceipt };
export { StaffClient, type StaffAnswer, type StaffCaseView, type IdentityRequestItem, type StaffClientOptions } from './staff-client';
