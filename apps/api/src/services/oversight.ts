import { listActiveStaffWithRoles, requestNotification, type Queryable } from '@sauti/db';

/**
 * Who receives reports, who may read identities and who holds which role are the levers an insider
 * would pull (an admin adding themself as recipient of every future report, or granting themself
 * custodian or supervisor). Every such change tells every active admin and supervisor — the one who
 * made it included, so that nobody can change it unseen — with a content-free e-mail through the
 * notification digest (no name, no context, no role: "sign in and look"); the audit log, which the
 * caller writes in the same transaction, says what changed.
 */
export const OVERSIGHT_KIND = 'access_changed';

export async function tellOversight(tx: Queryable): Promise<void> {
  for (const userId of await listActiveStaffWithRoles(tx, ['admin', 'supervisor'])) {
    await requestNotification(tx, userId, OVERSIGHT_KIND);
  }
}
