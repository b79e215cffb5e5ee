import express, { type RequestHandler } from 'express';
import helmet from 'helmet';

/** The CSP the web app is built for: same origin only, no inline script, wasm allowed for libsodium. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true },
      crossOriginEmbedderPolicy: false,
      // The same as CSP frame-ancestors 'none', for browsers that read only this header.
      xFrameOptions: { action: 'deny' },
    }),
    (_req, res, next) => {
      // Nothing Sauti serves may be kept by a shared computer's browser or a proxy.
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
      next();
    },
  ];
}

/** JSON endpoints accept only application/json, so a form post from another site cannot reach them. */
export const requireJson: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if ((hasBody || req.headers['transfer-encoding']) && !req.is('application/json')) {
    res.status(415).json({ error: 'Send the request body as JSON with Content-Type: application/json.' });
    return;
  }
  next();
};

/** requireJson and a strict JSON parser with a size limit: the front of every JSON route. */
export const jsonBody = (limit: number): RequestHandler[] => [requireJson, express.json({ limit, strict: true })];
