import { activationLink, ensureDeployment, findInviteById, findTotpResetById, inviteTokenFor, markInviteSendFailed, markInviteSent, type Db } from '@sauti/db';
import { UnrecoverableError } from 'bullmq';
import type { Transporter } from 'nodemailer';
import { sendTotpResetMail } from './totp-reset-mail';

export type InviteOutcome = 'sent' | 'already_sent' | 'not_usable';

export function inviteText(displayName: string, link: string): { subject: string; text: string } {
  return {
    subject: 'Sauti: your staff account invitation',
    text:
      `Hello ${displayName},\n\nYou have been invited to the Sauti staff workspace. Open this link within 72 hours to set your password ` +
      `and your authenticator app. It works once.\n\n${link}\n\nIf you did not expect this, ignore this e-mail.\n`,
  };
}

/** The deployment secret, read once per database. */
const secrets = new WeakMap<Db, Promise<Buffer>>();

/**
 * E-mails the one-time activation link. The token is recomputed from the invite id under the
 * deployment secret (the database holds only its hash). A used, replaced or expired invitation is
 * not sent; a redelivered job for a sent one does nothing.
 */
export async function sendInvite(deps: { pool: Db; mailer: Transporter; from: string; publicUrl: string }, inviteId: string): Promise<InviteOutcome> {
  // An admin's TOTP reset travels the same way with its own link and text.
  const reset = await findTotpResetById(deps.pool, inviteId);
  if (reset) return sendTotpResetMail(deps, reset);
  const invite = await findInviteById(deps.pool, inviteId);
  if (!invite) throw new UnrecoverableError('invite does not exist');
  if (invite.sentAt) return 'already_sent';
  if (!invite.usable) return 'not_usable';
  let secret = secrets.get(deps.pool);
  if (!secret) secrets.set(deps.pool, (secret = ensureDeployment(deps.pool).then((d) => d.serverSecret)));
  const token = inviteTokenFor(await secret, invite.id);
  const { subject, text } = inviteText(invite.displayName, activationLink(deps.publicUrl, token));
  try {
    await deps.mailer.sendMail({ from: deps.from, to: invite.email, subject, text });
  } catch (error) {
    await markInviteSendFailed(deps.pool, invite.id, (error as { code?: string }).code ?? (error as Error).name);
    throw error;
  }
  await markInviteSent(deps.pool, invite.id);
  return 'sent';
}
