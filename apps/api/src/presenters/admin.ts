import type { ContextRow, FailedJob, FailedNotification, InviteCreated, StaffRow, TotpResetCreated } from '@sauti/core';
import type { AdminContext, FailedNotificationRecord, StaffListing } from '@sauti/db';
import type { Job } from 'bullmq';
import { iso, isoOrNull } from './encoding';
import { storedQuestions, storedTranslations } from './reporter';

export const presentStaffRow = (p: StaffListing): StaffRow => ({
  id: p.id, email: p.email, displayName: p.displayName, unitId: p.unitId, unitName: p.unitName, roles: p.roles, status: p.status,
  createdAt: iso(p.createdAt), activatedAt: isoOrNull(p.activatedAt),
});

/** The link goes only to the invitee's mailbox, never back to the admin. */
export const presentInviteCreated = (i: { userId: string; inviteId: string; expiresAt: Date }): InviteCreated => ({
  userId: i.userId, inviteId: i.inviteId, expiresAt: iso(i.expiresAt),
});

/** The link goes only to the person's mailbox, never back to the admin. */
export const presentTotpResetCreated = (r: { userId: string; inviteId: string; expiresAt: Date; endedSessions: number }): TotpResetCreated => ({
  userId: r.userId, inviteId: r.inviteId, expiresAt: iso(r.expiresAt), endedSessions: r.endedSessions,
});

export const presentContext = (c: AdminContext): ContextRow => ({
  ...c, questions: storedQuestions(c.questions), translations: storedTranslations(c.translations), createdAt: iso(c.createdAt),
});

export const presentFailedNotification = (n: FailedNotificationRecord): FailedNotification => ({ ...n, failedAt: iso(n.failedAt) });

/** Ids and reasons only: jobs carry no content. */
export const presentFailedJob = (j: Job): FailedJob => ({
  id: j.id, name: j.name, attemptsMade: j.attemptsMade, failedReason: j.failedReason, failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
});
