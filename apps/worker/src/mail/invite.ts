import { activationLink } from '@sauti/config';
import { findInviteById, findTotpResetById, inviteTokenFor, markInviteSendFailed, markInviteSent } from '@sauti/db';
import { UnrecoverableError } from 'bullmq';
import { deploymentSecret } from './deployment-secret';
import { mailErrorCode, type MailDeps } from './mailer';
import { sendTotpResetMail } from './totp-reset';

export type InviteOutcome = 'sent' | 'already_sent' | 'not_usable';

export function inviteText(displayName: string, link: string): { subject: string; text: string } {
  return {
    subject: 'Sauti: your staff account invitation',
    text:
      `Hello ${displayName},\n\nYou have been invited to the Sauti staff workspace. Open this link within 72 hours to set your password ` +
      `and your authenticator app. It works once.\n\n${link}\n\nIf you did not expect this, ignore this e-mail.\n`,
  };
}

/**
 * E-mails the one-time activation link. The token is recomputed from the invite id under the
 * deployment secret (the database holds only its hash). A used, replaced or expired invitation is
 * not sent; a redelivered job for a sent one does nothing.
 */
export async function sendInvite(deps: MailDeps, inviteId: string): Promise<InviteOutcome> {
  // An admin's TOTP reset travels the same way with its own link and text.
  const reset = await findTotpResetById(deps.pool, inviteId);
  if (reset) return sendTotpResetMail(deps, reset);
  const invite = await findInviteById(deps.pool, inviteId);
  if (!invite) throw new UnrecoverableError('invite does not exist');
  if (invite.sentAt) return 'already_sent';
  if (!invite.usable) return 'not_usable';
  const token = inviteTokenFor(await deploymentSecret(deps.pool), invite.id);
  const { subject, text } = inviteText(invite.displayName, activationLink(deps.publicUrl, token));
  try {
    await deps.mailer.sendMail({ from: deps.from, to: invite.email, subject, text });
  } catch (error) {
    await markInviteSendFailed(deps.pool, invite.id, mailErrorCode(error));
    throw error;
  }
  await markInviteSent(deps.pool, invite.id);
  return 'sent';
}
