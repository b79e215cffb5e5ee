import { activationLink, type Config } from '@sauti/config';
import { inviteSchema } from '@sauti/core';
import { caseStatistics, countActiveAdmins, countUnpublished, findStaffByEmail, listStaff, type Db } from '@sauti/db';
import { verifyAuditCommand } from './verify-audit';
import { createQueue, QUEUES } from '@sauti/jobs';
import type IORedis from 'ioredis';
import { disableStaff } from './admin-people';
import { createStaffInvite } from './invites';

export type OperatorDeps = { pool: Db; serverSecret: Buffer; config: Config; redis?: () => IORedis; out: (line: string) => void };

export const OPERATOR_USAGE = `Usage: npm run sauti -- <command>

  invite-admin <email> [display name] [--force]
      Invite the first administrator (refused when an active admin exists, unless --force).
      Prints the one-time activation link and also queues it for e-mail.
  list-staff                 Everyone with an account or invitation, with roles and status.
  disable <email>            Disable a person; their sessions end at once.
  verify-audit [--witness DIR] [--public-key HEX]
                             Check the audit log's hash chain (sealing what is final first when no
                             worker is sealing); exits 1 naming the first bad entry. With --witness,
                             also check it against the signed checkpoints in DIR and name any
                             truncation, rewrite or fork.
  stats                      Case counts by status, and queue and outbox backlogs.`;

/** The operator commands; returns the process exit code (0 ok, 1 refused or failed, 2 usage). */
export async function runOperatorCommand(argv: string[], deps: OperatorDeps): Promise<number> {
  const [command, ...rest] = argv;
  const args = rest.filter((a) => !a.startsWith('--'));
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const { pool, out } = deps;
  switch (command) {
    case 'invite-admin': {
      const parsed = inviteSchema.safeParse({ email: args[0] ?? '', displayName: args.slice(1).join(' ') || 'Administrator', roles: ['admin'], unitId: null });
      if (!parsed.success) {
        out(`invite-admin: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`);
        return 2;
      }
      if (!flags.has('--force') && (await countActiveAdmins(pool)) > 0) {
        out('invite-admin: this deployment already has an active administrator; they can invite people. Use --force to invite another anyway.');
        return 1;
      }
      const result = await createStaffInvite({ pool, serverSecret: deps.serverSecret }, parsed.data, null);
      if (!result.ok) {
        out(`invite-admin: ${result.error.message}`);
        return 1;
      }
      out(`Invited ${parsed.data.email} as administrator (expires ${result.value.expiresAt.toISOString()}).`);
      out(`One-time activation link (also e-mailed by the worker):\n${activationLink(deps.config.PUBLIC_URL, result.value.token)}`);
      return 0;
    }
    case 'list-staff': {
      const people = await listStaff(pool);
      if (people.length === 0) out('No staff yet. Start with: npm run sauti -- invite-admin <email>');
      for (const p of people) out(`${p.status.padEnd(8)} ${p.email}  ${p.displayName}  [${p.roles.join(', ')}]${p.unitName ? `  unit: ${p.unitName}` : ''}`);
      return 0;
    }
    case 'disable': {
      const person = args[0] ? await findStaffByEmail(pool, args[0]) : null;
      if (!person) {
        out(`disable: no staff member has the address ${args[0] ?? '(none given)'}`);
        return 1;
      }
      const result = await disableStaff(pool, null, person.id);
      if (!result.ok) {
        out(`disable: ${result.error.message}`);
        return 1;
      }
      out(`Disabled ${person.email}; ${result.value.endedSessions} session(s) ended.`);
      return 0;
    }
    case 'verify-audit':
      return verifyAuditCommand(pool, rest, out);
    case 'stats': {
      const stats = await caseStatistics(pool);
      out(`Cases by status: ${Object.entries(stats.byStatus).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
      out(`Overdue: ${stats.overdue}; open and unassigned: ${stats.unassigned}`);
      out(`Outbox events not yet queued: ${await countUnpublished(pool)}`);
      if (deps.redis) {
        const connection = deps.redis();
        try {
          for (const name of Object.values(QUEUES)) {
            const queue = createQueue(name, connection, deps.config.QUEUE_PREFIX);
            try {
              const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
              out(`Queue ${name}: waiting ${c.waiting ?? 0}, active ${c.active ?? 0}, delayed ${c.delayed ?? 0}, failed ${c.failed ?? 0}`);
            } finally {
              await queue.close();
            }
          }
        } catch {
          out('Queues: Redis cannot be reached, so queue counts are unknown.');
        } finally {
          connection.disconnect();
        }
      }
      return 0;
    }
    default:
      out(command ? `Unknown command: ${command}\n\n${OPERATOR_USAGE}` : OPERATOR_USAGE);
      return 2;
  }
}
