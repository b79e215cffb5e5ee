import { z } from 'zod';
import { ROLES } from '../roles';
import { uuidV4, type IsoDate } from './common';
import { safeText } from './text';

/** Admin: staff members, their roles, unit and status. */

export const roleList = z
  .array(z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` }), { error: 'must be a list of roles' })
  .min(1, { error: 'must name at least one role' })
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, { error: 'names a role twice' });
export const displayName = safeText({ max: 120, what: 'a name' });

export const staffUpdateSchema = z
  .strictObject({ roles: roleList.optional(), unitId: uuidV4.nullable().optional(), displayName: displayName.optional() })
  .refine((v) => v.roles !== undefined || v.unitId !== undefined || v.displayName !== undefined, { error: 'change at least one of roles, unitId, displayName' });

export type StaffUpdateRequest = { roles?: string[]; unitId?: string | null; displayName?: string };

/** One row of GET /api/v1/admin/staff. */
export type StaffRow = {
  id: string; email: string; displayName: string; unitId: string | null; unitName: string | null; roles: string[]; status: string;
  createdAt: IsoDate; activatedAt: IsoDate | null;
};
export type StaffList = { items: StaffRow[] };

/** PATCH /api/v1/admin/staff/:id → 200. */
export type StaffUpdated = { userId: string };
/** POST …/disable → 200 (the person's sessions end). */
export type StaffDisabled = { endedSessions: number };
/** POST …/enable → 200. */
export type StaffEnabled = { status: 'active' };
