import { fromB64, grantCaseKeys, toB64 } from '@sauti/crypto';
import type { AssigneeAnswer, Colleague, Directory, DirectoryEntry, GrantAnswer } from '@sauti/core';
import { paths } from './paths';
import type { StaffSession } from './staff-session';
import type { ApiAnswer } from './transport';

/** Granting a case to a colleague (docs/protocol.md §5 "Granting"), revoking it, and the directory of colleagues. */

export async function directory(s: StaffSession): Promise<DirectoryEntry[]> {
  return (await s.transport.send<Directory>('GET', paths.staff.directory, undefined, [200], 'directory')).items;
}

/** The colleagues a screen offers, without their keys. */
export async function colleagues(s: StaffSession): Promise<Colleague[]> {
  return (await directory(s)).map((p) => ({ id: p.id, displayName: p.displayName, unitName: p.unitName, canHandleCases: p.canHandleCases }));
}

/** Re-seals caseKey‖staffKey to a colleague's public key, here, and records the grant. */
export async function grant(s: StaffSession, caseId: string, recipient: { id: string; publicKey: string | Uint8Array }, options: { assign?: boolean } = {}): Promise<ApiAnswer<GrantAnswer>> {
  const keys = await s.keysOf(caseId);
  const publicKey = typeof recipient.publicKey === 'string' ? fromB64(recipient.publicKey) : recipient.publicKey;
  return s.transport.call('POST', paths.staff.caseGrants(caseId), { recipientId: recipient.id, sealedKey: toB64(grantCaseKeys(keys, publicKey)), assign: options.assign ?? false });
}

/** Grants to a colleague found in the directory by id; null when there is no such colleague with a key. */
export async function grantTo(s: StaffSession, caseId: string, recipientId: string, assign: boolean): Promise<ApiAnswer<GrantAnswer> | null> {
  const person = (await directory(s)).find((p) => p.id === recipientId);
  if (!person?.publicKey) return null;
  return grant(s, caseId, { id: person.id, publicKey: person.publicKey }, { assign });
}

export function revoke(s: StaffSession, caseId: string, userId: string): Promise<ApiAnswer<AssigneeAnswer>> {
  return s.transport.call('DELETE', paths.staff.caseGrant(caseId, userId));
}
