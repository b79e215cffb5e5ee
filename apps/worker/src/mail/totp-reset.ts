import { totpResetLink } from '@sauti/config';
import { inviteTokenFor, markInviteSendFailed, markInviteSent, type TotpResetInvite } from '@sauti/db';
import { deploymentSecret } from './deployment-secret';
import { mailErrorCode, type MailDeps } from './mailer';

export function totpResetText(displayName: string, link: string): { subject: string; text: string } {
  return {
    subject: 'Sauti: set up your authenticator again',
    text:
      `Hello ${displayName},\n\nAn administrator reset the authenticator of your Sauti staff account (for example after a lost phone). ` +
      `Your old authenticator codes no longer work. Open this link within 72 hours, enter your usual password and set up the ` +
      `authenticator app again. It works once; your password, keys and cases stay as they were.\n\n${link}\n\n` +
      `If you did not ask for this, tell your administrator.\n`,
  };
}

/** The e-mail of an admin's TOTP reset (an invitation with purpose 'totp_reset'); same token scheme as an invitation. */
export async function sendTotpResetMail(deps: MailDeps, reset: TotpResetInvite): Promise<'sent' | 'already_sent' | 'not_usable'> {
  if (reset.sentAt) return 'already_sent';
  if (!reset.usable) return 'not_usable';
  const { subject, text } = totpResetText(reset.displayName, totpResetLink(deps.publicUrl, inviteTokenFor(await deploymentSecret(deps.pool), reset.id)));
  try {
    await deps.mailer.sendMail({ from: deps.from, to: reset.email, subject, text });
  } catch (error) {
    await markInviteSendFailed(deps.pool, reset.id, mailErrorCode(error));
    throw error;
  }
  await markInviteSent(deps.pool, reset.id);
  return 'sent';
}
