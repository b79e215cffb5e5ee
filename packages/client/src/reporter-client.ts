import type { ReceiptKeys } from '@sauti/crypto';
import type { Intake, PostedMessage, PowRequest, ReportRequest, ReporterCase, SubmitAnswer } from '@sauti/core';
import { fetchIntake, proofOfWork, requestPow } from './intake';
import { submitReport } from './report';
import { closeReporterSession, getReporterCase, postReporterMessage, reporterLogin } from './reporter-case';
import { Transport, type ApiAnswer } from './transport';

/**
 * A SIP/1 reporter client over fetch, written only from docs/protocol.md. Runs in Node and browsers.
 * Each step is a separate call so that tests and benchmarks can prepare, solve and send apart.
 */
export class ReporterClient {
  readonly transport: Transport;

  constructor(baseUrl: string, headers: Record<string, string> = {}) {
    this.transport = new Transport(baseUrl, { headers });
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  set baseUrl(value: string) {
    this.transport.baseUrl = value;
  }

  get token(): string | null {
    return this.transport.bearer;
  }

  set token(value: string | null) {
    this.transport.bearer = value;
  }

  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.transport.call<T>(method, path, body);
  }

  intake(): Promise<Intake> {
    return fetchIntake(this.transport);
  }

  /** A challenge (§6), bound to a context or an address if one is named. */
  pow(use: PowRequest = {}) {
    return requestPow(this.transport, use);
  }

  /** Asks for a challenge and solves it (docs/protocol.md §6); name the report's context to bind it. */
  proofOfWork(onProgress?: (tried: number) => void, use: PowRequest = {}): Promise<{ challenge: string; nonce: string }> {
    return proofOfWork(this.transport, onProgress, use);
  }

  submit(request: ReportRequest | string): Promise<ApiAnswer<SubmitAnswer & { error?: string }>> {
    return submitReport(this.transport, request);
  }

  /** §5: derive the receipt's keys and open a session. */
  login(receipt: string, receiptSalt: string): Promise<{ status: number; keys: ReceiptKeys }> {
    return reporterLogin(this.transport, receipt, receiptSalt);
  }

  getCase(): Promise<ApiAnswer<ReporterCase>> {
    return getReporterCase(this.transport);
  }

  sendMessage(caseKey: Uint8Array, caseId: string, text: string, messageId?: string): Promise<ApiAnswer<PostedMessage>> {
    return postReporterMessage(this.transport, caseKey, caseId, text, messageId);
  }

  logout(): Promise<number> {
    return closeReporterSession(this.transport);
  }
}
