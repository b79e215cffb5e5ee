import { CHECKS, obj, str, type Context, type Obj } from './vectors-checks';
import { fromB64 } from './encoding';
import { ready } from './sodium';

export type VectorsResult = { passed: number; failed: { name: string; error: string }[] };

/**
 * Checks every vector of test-vectors.json with the public API. No test framework,
 * so the web app can run the very same checks in a real browser.
 */
export async function runVectors(vectors: unknown): Promise<VectorsResult> {
  await ready();
  const result: VectorsResult = { passed: 0, failed: [] };
  const list = (vectors as { vectors?: unknown } | null)?.vectors;
  if (!Array.isArray(list)) {
    result.failed.push({ name: '(file)', error: 'expected an object with a "vectors" array' });
    return result;
  }
  const ctx: Context = { streams: new Map() };
  // Negative stream vectors are cut from the stored streams by name.
  for (const v of list as Obj[]) {
    try {
      if (v.kind === 'file_stream') {
        ctx.streams.set(str(v, 'name'), fromB64(str(obj(v, 'input'), 'streamB64')));
      }
    } catch {
      // reported when the vector itself runs
    }
  }
  for (const v of list as Obj[]) {
    const name = typeof v?.name === 'string' ? v.name : '(unnamed)';
    try {
      const check = CHECKS[str(v, 'kind')];
      if (!check) throw new Error(`unknown kind ${String(v.kind)}`);
      check(obj(v, 'input'), obj(v, 'expected'), ctx);
      result.passed++;
    } catch (e) {
      result.failed.push({ name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return result;
}
