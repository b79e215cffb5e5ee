export type ApiAnswer<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

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
