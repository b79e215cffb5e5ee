import type { OpName, Ops, Progress, WorkerError, WorkerRequest, WorkerResponse } from './protocol';

export class CryptoCallError extends Error {
  constructor(readonly error: WorkerError) {
    super(error.detail ?? error.code);
    this.name = 'CryptoCallError';
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void; onProgress?: (p: Progress) => void };

/** The UI's side of the crypto worker: typed calls with request ids, progress and cancel. */
export class CryptoWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('../worker/crypto-worker.ts', import.meta.url), { type: 'module', name: 'sauti-crypto' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    // A worker that cannot start (blocked script, no WebAssembly) fails every call, visibly.
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.failAll({ code: 'not_ready', detail: event.message });
    };
  }

  call<K extends OpName>(
    op: K,
    args: Ops[K]['args'],
    options: { onProgress?: (p: Ops[K]['progress']) => void; signal?: AbortSignal } = {},
  ): Promise<Ops[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress as ((p: Progress) => void) | undefined });
      options.signal?.addEventListener('abort', () => this.send({ kind: 'cancel', id }), { once: true });
      this.send({ kind: 'call', id, op, args });
    });
  }

  /** Stops the worker at once: every key, session and sealed draft it held is gone with it. */
  terminate(): void {
    this.worker.terminate();
    this.failAll({ code: 'cancelled' });
  }

  private send(m: WorkerRequest): void {
    this.worker.postMessage(m);
  }

  private receive(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.result);
    else p.reject(new CryptoCallError(m.error));
  }

  private failAll(error: WorkerError): void {
    for (const p of this.pending.values()) p.reject(new CryptoCallError(error));
    this.pending.clear();
  }
}

let shared: CryptoWorker | null = null;

/** One worker per page: keys opened by one screen stay available to the next. */
export function cryptoWorker(): CryptoWorker {
  shared ??= new CryptoWorker();
  return shared;
}

/** Ends the page's worker (see "Leave quickly"); a later call starts a fresh one. */
export function terminateCryptoWorker(): void {
  shared?.terminate();
  shared = null;
}
