import { identity, sharing } from '@sauti/client';
import { OpError, type Handler } from './op-error';
import { staffSession as s } from './staff-ops';

/** A holder re-seals caseKey‖staffKey to the colleague's public key, here (docs/protocol.md §5 "Granting"). */
const staffGrant: Handler<'staffGrant'> = async ({ caseId, recipientId, assign }) => {
  const answer = await sharing.grantTo(s.current(), caseId, recipientId, assign);
  if (!answer) throw new OpError('not_found');
  s.ok(answer, [201]);
  return s.detail(caseId);
};

const staffRevoke: Handler<'staffRevoke'> = async ({ caseId, userId }) => {
  s.ok(await sharing.revoke(s.current(), caseId, userId), [200]);
  return s.detail(caseId);
};

/** The reason is encrypted twice: under staffKey for the team, and sealed to each custodian of the identity. */
const staffRequestIdentity: Handler<'staffRequestIdentity'> = async ({ caseId, reason }) => {
  s.ok(await identity.requestIdentity(s.current(), caseId, reason), [201]);
  return s.detail(caseId);
};

const staffReadIdentity: Handler<'staffReadIdentity'> = async ({ caseId }) => {
  const opened = await identity.readIdentity(s.current(), caseId);
  if (!opened) throw new OpError('not_found');
  return opened;
};

/** Approval opens this custodian's identity wrap and re-seals identityKey to the requester: the server cannot. */
const staffDecideIdentity: Handler<'staffDecideIdentity'> = async ({ requestId, approve, reason }) => {
  if (!approve) {
    s.ok(await identity.denyIdentity(s.current(), requestId), [200]);
    return null;
  }
  const answer = await identity.approveIdentityById(s.current(), requestId, reason ?? '');
  if (!answer) throw new OpError('not_found');
  s.ok(answer, [200]);
  return null;
};

export const staffSharingOps = {
  staffDirectory: (async () => sharing.colleagues(s.current())) as Handler<'staffDirectory'>,
  staffGrant,
  staffRevoke,
  staffRequestIdentity,
  staffReadIdentity,
  staffIdentityQueue: (async ({ status }) => identity.custodianQueue(s.current(), status)) as Handler<'staffIdentityQueue'>,
  staffDecideIdentity,
};
