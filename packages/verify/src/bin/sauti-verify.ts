#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createTransport } from 'nodemailer';
import { formatReport, verifyDeployment, type VerifyReport } from '../deployment';
import { loadPinnedKeys, PINNED_KEYS_FILE } from '../pinned-keys';

const USAGE = `Usage: sauti-verify <https://deployment> [options]

Checks that a Sauti deployment serves exactly a release signed by a pinned release key:
the signature, every byte of every file, every security header.

  --keys FILE         release keys to trust (default: ${PINNED_KEYS_FILE})
  --watch             check again every --interval seconds until stopped
  --interval SECONDS  time between checks in --watch mode (default 300)
  --mail-to ADDRESS   in --watch mode, e-mail when the result changes (else exit 1 at the first mismatch)
  --smtp URL          SMTP server for --mail-to (default smtp://127.0.0.1:25)
  --mail-from ADDRESS sender for --mail-to (default sauti-verify@localhost)
  --json              print the report as JSON

Exit status: 0 the deployment matches the release; 1 a mismatch (each is named); 2 bad usage.`;

function fail(message: string): never {
  process.stderr.write(`sauti-verify: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        keys: { type: 'string' },
        watch: { type: 'boolean', default: false },
        interval: { type: 'string', default: '300' },
        'mail-to': { type: 'string' },
        smtp: { type: 'string', default: 'smtp://127.0.0.1:25' },
        'mail-from': { type: 'string', default: 'sauti-verify@localhost' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail('give exactly one deployment URL');
  const url = positionals[0]!;
  try {
    if (!['http:', 'https:'].includes(new URL(url).protocol)) throw new Error();
  } catch {
    fail(`"${url}" is not an http(s) URL`);
  }
  const interval = Number(values.interval);
  if (!Number.isFinite(interval) || interval < 1) fail('--interval must be a number of seconds, at least 1');
  let keys: string[];
  try {
    keys = loadPinnedKeys(values.keys ?? PINNED_KEYS_FILE);
  } catch (error) {
    fail((error as Error).message);
  }

  const print = (r: VerifyReport) => process.stdout.write(`${values.json ? JSON.stringify(r, null, 2) : formatReport(r)}\n`);
  if (!values.watch) {
    const r = await verifyDeployment(url, { trustedKeys: keys });
    print(r);
    process.exitCode = r.ok ? 0 : 1;
    return;
  }

  const mailTo = values['mail-to'];
  const transport = mailTo ? createTransport(values.smtp) : null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last: string | null = null;
  while (!stopped) {
    const r = await verifyDeployment(url, { trustedKeys: keys });
    process.stdout.write(`[${new Date().toISOString()}] `);
    print(r);
    const state = r.ok ? 'ok' : r.findings.map((f) => f.message).join('\n');
    if (transport && state !== last) {
      // Mail on every change (first result included), so a watcher hears both the alarm and the all-clear.
      await transport
        .sendMail({
          from: values['mail-from'],
          to: mailTo,
          subject: r.ok ? `sauti-verify: ${r.url} matches its signed release` : `sauti-verify: ${r.url} does NOT match its signed release`,
          text: `${formatReport(r)}\n`,
        })
        .catch((error: Error) => process.stderr.write(`sauti-verify: could not send the e-mail: ${error.message}\n`));
    }
    last = state;
    if (!r.ok && !transport) {
      process.exitCode = 1;
      return;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, interval * 1000);
    });
  }
  transport?.close();
}

main().catch((error: Error) => {
  process.stderr.write(`sauti-verify: ${error.message}\n`);
  process.exit(2);
});
