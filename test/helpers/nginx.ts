import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait';

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
export const TOR = process.env.TOR_PATH ?? '/usr/sbin/tor';
export const OPENSSL = process.env.OPENSSL_PATH ?? '/usr/bin/openssl';
export const SAUTI_NGINX_CONF = path.resolve(__dirname, '..', '..', 'infra', 'nginx', 'sauti.conf');
export const TORRC_EXAMPLE = path.resolve(__dirname, '..', '..', 'infra', 'tor', 'torrc.example');

/** A temporary directory that nginx's unprivileged workers can read (mkdtemp makes it 0700). */
export function tempPrefix(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sauti-${name}-`));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A self-signed certificate for localhost, made with openssl. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(OPENSSL, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'pipe' });
  return { cert, key };
}

/** Replaces `from` in `text`, which must occur exactly `times` times: a drifted example fails here, not silently. */
function replaceExactly(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`infra/nginx/sauti.conf: expected ${times} × ${JSON.stringify(from)}, found ${found}`);
  return text.split(from).join(to);
}

export type NginxSite = { httpsPort: number; httpPort: number; upstream: string; cert: string; key: string; ipv6?: boolean };

/**
 * infra/nginx/sauti.conf as an operator would adapt it: only the marked values (upstream, host
 * name, certificate) plus ports and the log path, so that a test runs the example itself.
 */
export function renderSautiConf(site: NginxSite, prefix: string): string {
  let conf = readFileSync(SAUTI_NGINX_CONF, 'utf8');
  conf = replaceExactly(conf, 'server 127.0.0.1:8080;', `server ${site.upstream};`);
  conf = replaceExactly(conf, 'server_name report.example.org;', 'server_name localhost;', 2);
  conf = replaceExactly(conf, '/etc/ssl/sauti/fullchain.pem', site.cert);
  conf = replaceExactly(conf, '/etc/ssl/sauti/privkey.pem', site.key);
  conf = replaceExactly(conf, '/var/log/nginx/sauti-error.log', path.join(prefix, 'sauti-error.log'));
  conf = replaceExactly(conf, 'listen 80;', `listen 127.0.0.1:${site.httpPort};`);
  conf = replaceExactly(conf, 'listen 443 ssl http2;', `listen 127.0.0.1:${site.httpsPort} ssl http2;`);
  conf = replaceExactly(conf, 'listen [::]:80;', site.ipv6 === false ? '' : `listen [::1]:${site.httpPort};`);
  conf = replaceExactly(conf, 'listen [::]:443 ssl http2;', site.ipv6 === false ? '' : `listen [::1]:${site.httpsPort} ssl http2;`);
  return conf;
}

/** A complete nginx.conf for a prefix directory, including the rendered site. */
export function writeNginxConf(prefix: string, site: NginxSite): string {
  writeFileSync(path.join(prefix, 'sauti.conf'), renderSautiConf(site, prefix));
  for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(prefix, dir), { recursive: true });
  const main = path.join(prefix, 'nginx.conf');
  writeFileSync(main, [
    // As root, nginx starts its workers as this user (Debian has no group "nobody").
    process.getuid?.() === 0 ? 'user nobody nogroup;' : '',
    'daemon off;',
    'worker_processes 1;',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    `error_log ${path.join(prefix, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  client_body_temp_path ${path.join(prefix, 'client_body')};`,
    `  proxy_temp_path ${path.join(prefix, 'proxy')};`,
    `  fastcgi_temp_path ${path.join(prefix, 'fastcgi')};`,
    `  uwsgi_temp_path ${path.join(prefix, 'uwsgi')};`,
    `  scgi_temp_path ${path.join(prefix, 'scgi')};`,
    `  include ${path.join(prefix, 'sauti.conf')};`,
    '}',
    '',
  ].join('\n'));
  return main;
}

/** `nginx -t` on a configuration; returns its exit status and what it printed. */
export function nginxTest(prefix: string, conf: string): { status: number; output: string } {
  // nginx -t reports on stderr, success included.
  const r = spawnSync(NGINX, ['-t', '-p', prefix, '-c', conf], { encoding: 'utf8' });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningNginx = { url: string; process: ChildProcess; stop: () => Promise<void> };

/** Runs nginx in the foreground on a prefix and waits until its https port answers. */
export async function startNginx(prefix: string, conf: string, httpsPort: number): Promise<RunningNginx> {
  const child = spawn(NGINX, ['-p', prefix, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(`nginx on port ${httpsPort}`, async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    return new Promise<boolean>((resolve) => {
      const socket = net.connect(httpsPort, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  }, 20_000);
  return {
    url: `https://localhost:${httpsPort}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT'); // graceful shutdown
      await exited;
    },
  };
}
