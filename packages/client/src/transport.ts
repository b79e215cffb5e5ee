/**
 * The one HTTP transport of every Sauti client (reporter, staff, admin): fetch, the reporter's
 * bearer token, the staff session cookie (kept here in Node; the browser keeps it itself), the
 * CSRF header on unsafe methods, and one way to turn an unexpected answer into an error.
 */

export type ApiAnswer<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type TransportOptions = { fetch?: typeof fetch; headers?: Record<string, string> };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STAFF_COOKIE = 'sauti_staff';

/** Reads a response as JSON where it is JSON, else keeps the text (an error page, a file's bytes). */
export async function readAnswer<T>(response: Response): Promise<ApiAnswer<T>> {
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text so the caller can show it.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** The server's own sentence from an error body ({ error, issues }), if there is one. */
export function errorMessageOf(body: unknown): string | undefined {
  const message = (body as { error?: unknown } | null)?.error;
  return typeof message === 'string' ? message : undefined;
}

/** An answer with a status the step did not expect; `detail` is the server's message. */
export class ApiError extends Error {
  readonly detail: string | undefined;
  constructor(
    readonly status: number,
    readonly body: unknown,
    what = 'request',
  ) {
    const detail = errorMessageOf(body);
    super(`${what} answered ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'ApiError';
    this.detail = detail;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function isBinary(body: unknown): body is Uint8Array | ReadableStream | AsyncIterable<Uint8Array> {
  return body instanceof Uint8Array || (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

export class Transport {
  /** A reporter's session token (docs/protocol.md §5). */
  bearer: string | null = null;
  /** A staff session's CSRF token, sent on unsafe methods. */
  csrfToken: string | null = null;
  /** Told of every answer (e.g. to end a local session on 401, or to note activity). */
  onAnswer: ((status: number) => void) | null = null;
  private cookie: string | null = null;
  private cookieName = STAFF_COOKIE;

  constructor(
    /** Where the API is; a client may be pointed elsewhere later (tests start servers after making clients). */
    public baseUrl: string,
    private readonly options: TransportOptions = {},
  ) {}

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  /** The headers that authenticate a request made outside `call` (file streams with progress). */
  authHeaders(method: string): Record<string, string> {
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookie) headers.cookie = `${this.cookieName}=${this.cookie}`;
    if (UNSAFE.has(method.toUpperCase()) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return headers;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts: { contentType?: string } = {}): Promise<ApiAnswer<T>> {
    const headers = this.authHeaders(method);
    let payload: RequestInit['body'] | undefined;
    let duplex: 'half' | undefined;
    if (body !== undefined) {
      if (isBinary(body)) {
        headers['content-type'] = opts.contentType ?? 'application/octet-stream';
        payload = body as RequestInit['body'];
        if (!(body instanceof Uint8Array)) duplex = 'half';
      } else {
        headers['content-type'] = opts.contentType ?? 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
    }
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body: payload };
    if (duplex) init.duplex = duplex;
    const response = await (this.options.fetch ?? fetch)(new URL(path, this.baseUrl), init);
    this.keepCookie(response.headers);
    this.onAnswer?.(response.status);
    return readAnswer<T>(response);
  }

  /** The body of an answer with one of the expected statuses; otherwise an ApiError. */
  need<T>(answer: ApiAnswer<T>, expected: number[], what = 'request'): T {
    if (!expected.includes(answer.status)) throw new ApiError(answer.status, answer.body, what);
    return answer.body;
  }

  /** `call` then `need`: for steps that cannot go on without the expected answer. */
  async send<T>(method: ApiMethod, path: string, body: unknown, expected: number[], what?: string): Promise<T> {
    return this.need(await this.call<T>(method, path, body), expected, what ?? `${method} ${path}`);
  }

  /** Drops the session's credentials (token, cookie, CSRF token). */
  forgetSession(): void {
    this.bearer = null;
    this.cookie = null;
    this.csrfToken = null;
  }

  private keepCookie(headers: Headers): void {
    const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const line of all) {
      // `__Host-sauti_staff` when the server's PUBLIC_URL is https.
      const match = new RegExp(`^((?:__Host-)?${STAFF_COOKIE})=([^;]*)`).exec(line);
      if (match) {
        this.cookieName = match[1]!;
        this.cookie = match[2] ? match[2] : null;
      }
    }
  }
}
