import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  listServedFiles,
  manifestBytes,
  MANIFEST_PATH,
  parseManifest,
  parseSignatureDocument,
  SIGNATURE_PATH,
  validSigners,
  WEBCAT_MANIFEST_PATH,
  type ReleaseManifest,
} from '@sauti/verify';
import { Router, type RequestHandler } from 'express';
import { securityHeaders } from './security';

/**
 * The security headers every response carries, exactly as securityHeaders() sets them: the release
 * manifest publishes these, so the one definition in security.ts is also the one that is signed.
 */
export function releasedHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  const req = { method: 'GET', url: '/', headers: {} } as unknown as IncomingMessage;
  for (const middleware of securityHeaders()) {
    let called = false;
    (middleware as unknown as (q: IncomingMessage, s: ServerResponse, n: () => void) => void)(req, res, () => (called = true));
    if (!called) throw new Error('a security-header middleware did not complete synchronously; releasedHeaders() cannot read it');
  }
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const releaseFile = (webDir: string, urlPath: string) => path.join(webDir, ...urlPath.split('/').filter(Boolean));

/** Serves the release manifest, its signature and the WEBCAT-format manifest at their well-known paths. */
export function releaseRoutes(webDir: string): Router {
  const router = Router();
  const serve =
    (urlPath: string): RequestHandler =>
    (_req, res) => {
      const file = releaseFile(webDir, urlPath);
      if (!existsSync(file)) {
        res.status(404).json({ error: `This deployment publishes no ${path.basename(urlPath)}: see docs/release.md.` });
        return;
      }
      res.type('application/json').send(readFileSync(file));
    };
  for (const p of [MANIFEST_PATH, SIGNATURE_PATH, WEBCAT_MANIFEST_PATH]) router.get(p, serve(p));
  return router;
}

/**
 * Compares what the server would serve (every file of webDir, the headers of security.ts) with the
 * manifest it would publish, and that manifest with its signature. Returns each problem, named.
 */
export function releaseProblems(webDir: string): { problems: string[]; manifest: ReleaseManifest | null } {
  const manifestFile = releaseFile(webDir, MANIFEST_PATH);
  if (!existsSync(manifestFile)) {
    return { manifest: null, problems: [`${manifestFile} is missing: build the release with npm run release:manifest and release:sign (docs/release.md)`] };
  }
  const problems: string[] = [];
  const bytes = readFileSync(manifestFile);
  let manifest: ReleaseManifest;
  try {
    manifest = parseManifest(bytes);
  } catch (error) {
    return { manifest: null, problems: [`${manifestFile}: ${(error as Error).message}`] };
  }
  if (!bytes.equals(manifestBytes(manifest))) problems.push(`${manifestFile} is not in canonical form (was it edited by hand?)`);
  const served = listServedFiles(webDir);
  for (const [p, entry] of Object.entries(manifest.files)) {
    const actual = served[p];
    if (!actual) problems.push(`${p} is in the manifest but not in ${webDir}`);
    else if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) problems.push(`${p} differs from the manifest (sha256 ${actual.sha256.slice(0, 16)}…, manifest ${entry.sha256.slice(0, 16)}…)`);
  }
  for (const p of Object.keys(served)) if (!(p in manifest.files)) problems.push(`${p} would be served but is not in the manifest`);
  const headers = releasedHeaders();
  for (const name of new Set([...Object.keys(headers), ...Object.keys(manifest.headers)])) {
    if (headers[name] !== manifest.headers[name]) {
      problems.push(`header ${name}: the server sends ${JSON.stringify(headers[name] ?? '(absent)')}, the manifest says ${JSON.stringify(manifest.headers[name] ?? '(absent)')}`);
    }
  }
  const signatureFile = releaseFile(webDir, SIGNATURE_PATH);
  if (!existsSync(signatureFile)) problems.push(`${signatureFile} is missing: sign the release with npm run release:sign`);
  else {
    try {
      // Consistency, not trust: that the published signature is valid for one of the keys the
      // manifest names. Trust in those keys comes from the repository (sauti-verify) and the browser's pin.
      if (validSigners(bytes, parseSignatureDocument(readFileSync(signatureFile)), manifest.releaseKeys).length === 0) {
        problems.push(`${signatureFile} holds no valid signature by a key of the manifest's releaseKeys`);
      }
    } catch (error) {
      problems.push(`${signatureFile}: ${(error as Error).message}`);
    }
  }
  return { manifest, problems };
}

/** In production, a server whose web files do not match its signed manifest refuses to start. */
export function assertReleaseMatches(webDir: string): void {
  const { problems } = releaseProblems(webDir);
  if (problems.length > 0) {
    throw new Error(`the web app in ${webDir} does not match its release manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
