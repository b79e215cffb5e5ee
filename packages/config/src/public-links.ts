/**
 * Links to staff pages of this deployment (PUBLIC_URL) carrying a one-time token in the fragment,
 * which browsers do not send to the server or put in Referer headers. Used by the worker's e-mails
 * and by the operator CLI, which prints the same link.
 */
function staffLink(publicUrl: string, page: 'activate' | 'totp-reset', token: string): string {
  return `${new URL(`/staff/${page}`, publicUrl).toString()}#${token}`;
}

export const activationLink = (publicUrl: string, token: string): string => staffLink(publicUrl, 'activate', token);
export const totpResetLink = (publicUrl: string, token: string): string => staffLink(publicUrl, 'totp-reset', token);
