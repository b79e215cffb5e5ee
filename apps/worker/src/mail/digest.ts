import { randomUUID } from 'node:crypto';
import { claimDigest, markDigestFailed, markDigestSent, type Db } from '@sauti/db';
import { mailErrorCode, type MailDeps } from './mailer';

/**
 * Content-free by design: no category, reference, content, count or time of submission, so that a
 * mailbox, a mail server or a screen over a shoulder learns nothing but "sign in".
 */
export function digestText(kinds: readonly string[], publicUrl: string): { subject: string; text: string } {
  const signIn = `Sign in to Sauti to see it: ${new URL('/staff', publicUrl).toString()}`;
  if (kinds.every((k) => k === 'new_case')) {
    return { subject: 'Sauti: a new case awaits you', text: `A new case awaits you.\n\n${signIn}\n` };
  }
  // Who receives reports or holds which role changed (api services/oversight.ts): still no name,
  // context or role — the audit log says what — but worded so that it is not mistaken for a case.
  if (kinds.every((k) => k === 'access_changed')) {
    return {
      subject: 'Sauti: an access change to review',
      text: `Who receives reports or who holds a role in Sauti has changed. If you did not expect this, check People and Channels in the administration pages or ask another administrator; the audit log records who made the change.\n\n${signIn}\n`,
    };
  }
  return { subject: 'Sauti: something awaits you', text: `There is something new for you in Sauti: a case, a message, a deadline or an access change.\n\n${signIn}\n` };
}

export type DigestOutcome = 'sent' | 'nothing_pending';

/**
 * Sends one e-mail for everything pending for a person. A failed send is retried by BullMQ with the
 * same digest; after the last attempt the caller marks it failed, which admins see. A request that
 * arrives after the claim is not this job's: BullMQ starts a follow-up digest for it when this one
 * finishes (see notifyJobOptions in packages/jobs).
 */
export async function sendDigest(deps: MailDeps, userId: string): Promise<{ outcome: DigestOutcome; digestId?: string; notifications?: number }> {
  const digest = await claimDigest(deps.pool, userId, randomUUID());
  if (!digest) return { outcome: 'nothing_pending' };
  const { subject, text } = digestText(digest.kinds, deps.publicUrl);
  try {
    await deps.mailer.sendMail({ from: deps.from, to: digest.email, subject, text, headers: { 'X-Sauti-Digest': digest.digestId } });
  } catch (error) {
    (error as { digestId?: string }).digestId = digest.digestId;
    throw error;
  }
  await markDigestSent(deps.pool, digest.digestId);
  return { outcome: 'sent', digestId: digest.digestId, notifications: digest.notificationIds.length };
}

export async function recordDigestFailure(pool: Db, error: unknown, final: boolean): Promise<void> {
  const digestId = (error as { digestId?: string }).digestId;
  if (digestId) await markDigestFailed(pool, digestId, mailErrorCode(error), final);
}
