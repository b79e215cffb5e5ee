import { sha256Hex } from './files';
import { MANIFEST_PATH, SIGNATURE_PATH, parseManifest, parseSignatureDocument, type ReleaseManifest } from './manifest';
import { keyIdOf, validSigners } from './signing';

export type FindingKind = 'unreachable' | 'manifest' | 'signature' | 'file' | 'header';
/** One difference between what a deployment serves and what was released, named for a person to act on. */
export type Finding = { kind: FindingKind; message: string };

export type VerifyReport = {
  url: string;
  ok: boolean;
  findings: Finding[];
  manifest: ReleaseManifest | null;
  signers: string[];
  filesChecked: number;
  headersChecked: number;
};

/** Headers that change what a page may do although the release does not list them. */
const UNEXPECTED_HEADERS = ['service-worker-allowed', 'content-security-policy-report-only', 'clear-site-data', 'refresh', 'link', 'sourcemap', 'x-sourcemap', 'set-cookie'];

type Fetched = { status: number; headers: Headers; body: Buffer };

async function get(base: URL, path: string, timeoutMs: number): Promise<Fetched> {
  const response = await fetch(new URL(path, base), {
    redirect: 'manual',
    headers: { accept: '*/*', 'cache-control': 'no-cache' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const short = (hex: string) => hex.slice(0, 16);

/**
 * Fetches a deployment's manifest, signature, HTML and every listed file, and compares them with
 * the release: the signature against keys the caller pins (never keys the deployment offers), every
 * byte, and every security header on every response.
 */
export async function verifyDeployment(
  url: string,
  options: { trustedKeys: readonly string[]; timeoutMs?: number },
): Promise<VerifyReport> {
  const base = new URL(url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const findings: Finding[] = [];
  const report = (): VerifyReport => ({ url: base.origin, ok: findings.length === 0, findings, manifest, signers, filesChecked, headersChecked });
  let manifest: ReleaseManifest | null = null;
  let signers: string[] = [];
  let filesChecked = 0;
  let headersChecked = 0;

  let manifestResponse: Fetched;
  let signatureResponse: Fetched;
  try {
    manifestResponse = await get(base, MANIFEST_PATH, timeoutMs);
    signatureResponse = await get(base, SIGNATURE_PATH, timeoutMs);
  } catch (error) {
    findings.push({ kind: 'unreachable', message: `could not reach ${base.origin}: ${(error as Error).message}` });
    return report();
  }
  if (manifestResponse.status !== 200) {
    findings.push({ kind: 'manifest', message: `${MANIFEST_PATH} answered ${manifestResponse.status}: the deployment publishes no release manifest` });
    return report();
  }
  try {
    manifest = parseManifest(manifestResponse.body);
  } catch (error) {
    findings.push({ kind: 'manifest', message: `${MANIFEST_PATH}: ${(error as Error).message}` });
    return report();
  }

  if (options.trustedKeys.length === 0) {
    findings.push({ kind: 'signature', message: 'no release key is pinned: give --keys with the keys of docs/release.md' });
  } else if (signatureResponse.status !== 200) {
    findings.push({ kind: 'signature', message: `${SIGNATURE_PATH} answered ${signatureResponse.status}: the manifest is not signed` });
  } else {
    try {
      const doc = parseSignatureDocument(signatureResponse.body);
      signers = validSigners(manifestResponse.body, doc, options.trustedKeys);
      if (signers.length === 0) {
        const offered = doc.signatures.map((s) => s.keyId).join(', ') || 'none';
        const pinned = options.trustedKeys.map(keyIdOf).join(', ');
        findings.push({ kind: 'signature', message: `the manifest is not validly signed by a pinned release key (signatures by: ${offered}; pinned: ${pinned})` });
      }
    } catch (error) {
      findings.push({ kind: 'signature', message: `${SIGNATURE_PATH}: ${(error as Error).message}` });
    }
  }

  // Header differences are grouped per header, so a changed CSP is one line naming every path.
  const headerDiffs = new Map<string, { served: string; paths: string[] }>();
  const unexpected = new Map<string, string[]>();
  const checkHeaders = (path: string, headers: Headers) => {
    for (const [name, released] of Object.entries(manifest!.headers)) {
      headersChecked += 1;
      const served = headers.get(name) ?? '(absent)';
      if (served !== released) {
        const key = `${name}\u0000${served}`;
        const entry = headerDiffs.get(key) ?? { served, paths: [] };
        entry.paths.push(path);
        headerDiffs.set(key, entry);
      }
    }
    for (const name of UNEXPECTED_HEADERS) {
      if (headers.has(name) && !(name in manifest!.headers)) unexpected.set(name, [...(unexpected.get(name) ?? []), path]);
    }
  };

  // "/" is what a person's browser loads; it must be the entry document, byte for byte.
  const paths = ['/', ...Object.keys(manifest.files)];
  for (const path of paths) {
    const expected = manifest.files[path === '/' ? manifest.entry : path]!;
    let fetched: Fetched;
    try {
      fetched = await get(base, path, timeoutMs);
    } catch (error) {
      findings.push({ kind: 'unreachable', message: `file ${path}: could not be fetched (${(error as Error).message})` });
      continue;
    }
    filesChecked += 1;
    checkHeaders(path, fetched.headers);
    if (fetched.status !== 200) {
      findings.push({ kind: 'file', message: `file ${path}: answered ${fetched.status} instead of the released file` });
      continue;
    }
    const actual = sha256Hex(fetched.body);
    if (actual !== expected.sha256 || fetched.body.length !== expected.size) {
      const what = path === '/' ? `the HTML document at / (released as ${manifest.entry})` : `file ${path}`;
      findings.push({
        kind: 'file',
        message: `${what}: served bytes differ from the release (sha256 ${short(actual)}…, ${fetched.body.length} bytes; released ${short(expected.sha256)}…, ${expected.size} bytes)`,
      });
    }
  }
  for (const [key, { served, paths: where }] of headerDiffs) {
    const name = key.split('\u0000')[0]!;
    findings.push({
      kind: 'header',
      message: `header ${name} differs on ${where.length} path(s) (${where.slice(0, 3).join(', ')}${where.length > 3 ? ', …' : ''}): served ${JSON.stringify(served)}, released ${JSON.stringify(manifest.headers[name])}`,
    });
  }
  for (const [name, where] of unexpected) {
    findings.push({ kind: 'header', message: `header ${name} is served on ${where.length} path(s) (${where.slice(0, 3).join(', ')}) but is not part of the release` });
  }
  return report();
}

/** The report as lines for a terminal or an e-mail. */
export function formatReport(r: VerifyReport): string {
  const lines: string[] = [];
  const m = r.manifest;
  lines.push(`sauti-verify ${r.url}${m ? ` — release ${m.version} (commit ${m.commit.slice(0, 12)})` : ''}${r.signers.length ? `, signed by ${r.signers.join(', ')}` : ''}`);
  for (const f of r.findings) lines.push(`MISMATCH ${f.message}`);
  if (r.ok) lines.push(`OK: ${r.filesChecked} responses and ${r.headersChecked} security headers match the signed release.`);
  else lines.push(`FAILED: ${r.findings.length} mismatch(es) after checking ${r.filesChecked} responses.`);
  return lines.join('\n');
}
