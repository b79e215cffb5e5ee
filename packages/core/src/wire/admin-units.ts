import { z } from 'zod';
import { uuidV4 } from './common';
import { displayName } from './admin-people';

/** Admin: units (teams) and their supervisors. */

export const unitSchema = z.strictObject({ name: displayName, supervisorId: uuidV4.nullable().optional().transform((v) => v ?? null) });
export const unitUpdateSchema = z.strictObject({ name: displayName.optional(), supervisorId: uuidV4.nullable().optional() });

export type UnitRequest = { name?: string; supervisorId?: string | null };

/** One row of GET /api/v1/admin/units. */
export type UnitRow = { id: string; name: string; supervisorId: string | null; members: number };
export type UnitList = { items: UnitRow[] };
/** POST /api/v1/admin/units → 201, PATCH …/:id → 200. */
export type UnitSaved = { id: string };
