import { deleteSurveyInvitationMail, findSurveyInvitationMail } from '@sauti/db';
import { mailErrorCode, type MailDeps } from './mailer';

export type SurveyInvitationOutcome = 'sent' | 'gone';

/**
 * Content-free on purpose (docs/threat-model.md, surveys): no survey title, no topic, no sender
 * name beyond the deployment's — someone reading the recipient's mailbox learns only that a
 * survey exists. The link and the code travel apart from any identifying text.
 */
export function surveyInvitationText(link: string, code: string): { subject: string; text: string } {
  return {
    subject: 'An anonymous survey invitation',
    text:
      `Hello,\n\nYou are invited to take part in an anonymous survey from your administration. Open this link:\n\n${link}\n\n` +
      `and enter this personal invitation code when asked:\n\n${code}\n\n` +
      'The code works once. The server keeps only a fingerprint of it and cannot tell who received it, ' +
      'and this e-mail address is deleted as soon as this message is sent.\n\nIf you did not expect this, ignore this e-mail.\n',
  };
}

export function surveyLink(publicUrl: string, iterationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/survey/${iterationId}`;
}

/**
 * Sends one invitation, then deletes the row that held the address and the code. A redelivered
 * job for a sent (deleted) or expired row does nothing. On an SMTP error the row stays for the
 * retry; only the error's code is logged (an SMTP message can quote the address).
 */
export async function sendSurveyInvitation(deps: MailDeps, id: string): Promise<SurveyInvitationOutcome> {
  const row = await findSurveyInvitationMail(deps.pool, id);
  if (!row) return 'gone';
  const { subject, text } = surveyInvitationText(surveyLink(deps.publicUrl, row.iterationId), row.code);
  try {
    await deps.mailer.sendMail({ from: deps.from, to: row.email, subject, text });
  } catch (error) {
    throw Object.assign(new Error(`survey invitation not sent (${mailErrorCode(error)})`), { code: mailErrorCode(error) });
  }
  await deleteSurveyInvitationMail(deps.pool, row.id);
  return 'sent';
}
