import http from 'node:http';

/** What a compromised host changes in what it serves; everything else passes through untouched. */
export type Tamper = {
  /** Path of a script whose bytes get a line of "exfiltration" code prepended. */
  script?: string;
  /** The HTML document gets an extra script tag. */
  html?: boolean;
  /** The Content-Security-Policy header every response carries instead of the real one. */
  csp?: string;
  /** Body served as the manifest's signature file. */
  signature?: string;
  /** /sw.js gets a line appended. */
  serviceWorker?: boolean;
};

export const TAMPER_MARK = 'globalThis.__sautiTampered = true;';

/**
 * A reverse proxy in front of the api playing the hosting administration gone bad: it serves the
 * real deployment, changed as `set()` says. Its origin is "the deployment" for browsers and verifiers.
 */
export async function startTamperProxy(target: string): Promise<{ url: string; set: (t: Tamper) => void; close: () => Promise<void> }> {
  let tamper: Tamper = {};
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks);
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const headers = { ...up.headers };
        const isHtml = String(headers['content-type'] ?? '').startsWith('text/html');
        if (tamper.script && path === tamper.script) body = Buffer.concat([Buffer.from(`${TAMPER_MARK}\n`), body]);
        if (tamper.html && isHtml) body = Buffer.from(body.toString('utf8').replace('<title>Sauti</title>', '<title>Sauti</title><script src="/collector.js"></script>'));
        if (tamper.serviceWorker && path === '/sw.js') body = Buffer.concat([body, Buffer.from('\n;self.__sautiTampered = true;\n')]);
        if (tamper.signature !== undefined && path === '/.well-known/sauti/manifest.json.sig') body = Buffer.from(tamper.signature);
        if (tamper.csp !== undefined) headers['content-security-policy'] = tamper.csp;
        delete headers['transfer-encoding'];
        delete headers.connection;
        delete headers['keep-alive'];
        headers['content-length'] = String(body.length);
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    set: (t) => (tamper = t),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
