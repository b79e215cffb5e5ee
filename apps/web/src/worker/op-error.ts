import { isCryptoError } from '@sauti/crypto';
import { isApiError } from '@sauti/client';
import type { Ops, Progress, WorkerError, WorkerErrorCode } from '../crypto/protocol';

/** What every operation gets besides its arguments: the cancel signal and a progress reporter. */
export type OpContext = { signal: AbortSignal; progress: (p: Progress) => void };
export type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;

/** An expected failure with a code the UI can translate. */
export class OpError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    readonly detail?: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(detail ?? code);
    this.name = 'OpError';
  }
}

const CODE_OF_STATUS: Record<number, WorkerErrorCode> = { 401: 'unauthenticated', 404: 'not_found', 413: 'too_large', 429: 'unavailable', 503: 'unavailable' };

/** Maps an API answer that is not a success to an OpError carrying the server's own message. */
export function httpError(status: number, body: unknown): OpError {
  const { error: message, reason } = (body ?? {}) as { error?: unknown; reason?: unknown };
  const detail = typeof message === 'string' ? message : undefined;
  const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'rejected');
  return new OpError(code, detail, status, typeof reason === 'string' && /^[a-z_]{1,40}$/.test(reason) ? reason : undefined);
}

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof OpError) return { code: e.code, detail: e.detail, status: e.status, ...(e.reason ? { reason: e.reason } : {}) };
  if (isApiError(e)) return toWorkerError(httpError(e.status, e.body));
  if (isCryptoError(e)) {
    const code: WorkerErrorCode = e.code === 'truncated_stream' ? 'truncated' : e.code === 'not_ready' ? 'not_ready' : 'decrypt_failed';
    return { code, detail: e.message };
  }
  // fetch rejects with a TypeError when the network or the server is unreachable.
  if (e instanceof TypeError) return { code: 'network' };
  if (e instanceof DOMException && e.name === 'AbortError') return { code: 'cancelled' };
  return { code: 'internal', detail: e instanceof Error ? e.message : String(e) };
}
