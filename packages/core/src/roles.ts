/** Staff roles (issue 3). A person may hold several. */
/** "intake": an intake officer records reports received by phone, in person or by letter (issue 13). */
export const ROLES = ['admin', 'supervisor', 'investigator', 'custodian', 'analyst', 'intake'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * What each role may do. Seeing a case additionally needs a key wrap for it (the server cannot
 * give what it cannot decrypt); these rules only narrow what a holder may do with it.
 */
export const PERMISSIONS = {
  /** Read, message the reporter, write notes, acknowledge, start, close, grant, recuse, ask for identity. */
  handleCases: ['investigator', 'supervisor'],
  /** Reopening a closed case is a second pair of eyes: supervisors only. */
  reopenCases: ['supervisor'],
  /** Revoke someone else's access (the person who granted a wrap may also revoke it). */
  revokeGrants: ['supervisor'],
  decideIdentity: ['custodian'],
  administer: ['admin'],
  /** Counts without case ids or content. */
  viewStatistics: ['analyst', 'supervisor', 'admin'],
  /** Seal a report on behalf of someone who phoned, came in or wrote; reading it needs a key wrap like anyone. */
  recordOnBehalf: ['intake'],
  /** Create surveys, open and close iterations, issue invitation codes, read sealed responses (issue 15). */
  manageSurveys: ['analyst', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function may(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
