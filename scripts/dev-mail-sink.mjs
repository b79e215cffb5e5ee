#!/usr/bin/env node
// A local SMTP sink for the demo: keeps Sauti's (content-free) notifications as .eml files in
// .local/mail so that nothing leaves the machine. Not for production.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const dir = path.resolve(process.env.SAUTI_LOCAL_DIR ?? '.local', 'mail');
mkdirSync(dir, { recursive: true });
const port = Number(new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525').port || 2525);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.eml`);
      writeFileSync(file, Buffer.concat(chunks));
      console.log(`[mail] to ${session.envelope.rcptTo.map((r) => r.address).join(', ')} → ${path.relative(process.cwd(), file)}`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`[mail] demo mail sink on 127.0.0.1:${port}, writing to ${dir}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
