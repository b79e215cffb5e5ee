import { z } from 'zod';
import { email } from './auth';
import { uuidV4, type IsoDate } from './common';
import { displayName, roleList } from './admin-people';

/** Admin: inviting a person, and resetting a person's authenticator (both send a link by e-mail only). */

export const inviteSchema = z.strictObject({ email, displayName, roles: roleList, unitId: uuidV4.nullable().optional().transform((v) => v ?? null) });

export type InviteRequest = { email: string; displayName: string; roles: string[]; unitId?: string | null };

/** POST /api/v1/admin/invites → 201. The link goes only to the invitee's mailbox. */
export type InviteCreated = { userId: string; inviteId: string; expiresAt: IsoDate };

/** POST /api/v1/admin/staff/:id/totp-reset → 201. */
export type TotpResetCreated = InviteCreated & { endedSessions: number };
