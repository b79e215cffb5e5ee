import { findCheckpoint, markCheckpointMailed } from '@sauti/db';
import { UnrecoverableError } from 'bullmq';
import type { MailDeps } from './mailer';

/** Content-free apart from the checkpoint itself: no case, no person, no count beyond the chain length. */
export function checkpointMailText(checkpoint: { length: number; head: string; at: string; publicKey: string; signature: string }): { subject: string; text: string } {
  return {
    subject: `Sauti audit checkpoint: ${checkpoint.length} entries`,
    text:
      'Keep this e-mail. It is a signed checkpoint of the Sauti audit log: with it, `npm run sauti -- verify-audit --witness DIR`\n' +
      'detects entries removed, rewritten or forked after this point (save the JSON line below as a .json file in DIR).\n\n' +
      `${JSON.stringify({ version: 1, ...checkpoint })}\n`,
  };
}

export type CheckpointMailOutcome = 'sent' | 'already_sent' | 'no_auditors';

/** E-mails one checkpoint to every configured auditor; a redelivered job for a sent one does nothing. */
export async function sendCheckpointMail(deps: Pick<MailDeps, 'pool' | 'mailer' | 'from'>, auditors: string[], checkpointId: string): Promise<CheckpointMailOutcome> {
  if (auditors.length === 0) return 'no_auditors';
  const checkpoint = await findCheckpoint(deps.pool, checkpointId);
  if (!checkpoint) throw new UnrecoverableError('checkpoint does not exist');
  if (checkpoint.mailedAt) return 'already_sent';
  const { subject, text } = checkpointMailText({ length: checkpoint.length, head: checkpoint.head, at: checkpoint.at, publicKey: checkpoint.publicKey, signature: checkpoint.signature });
  await deps.mailer.sendMail({ from: deps.from, to: auditors, subject, text });
  await markCheckpointMailed(deps.pool, checkpointId);
  return 'sent';
}
