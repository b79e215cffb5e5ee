import type { StaffCaseSummary, StaffCaseView, StaffMessage, StaffMessagePage, StatusChangeAnswer } from '@sauti/core';
import type { MessagePage, MessageRecord, StaffCaseSummaryRecord } from '@sauti/db';
import type { CaseDetail, StatusChanged } from '../services/staff-cases';
import { b64, b64OrNull, iso, isoOrNull } from './encoding';

export function presentCaseSummary(c: StaffCaseSummaryRecord, userId: string): StaffCaseSummary {
  return {
    id: c.id, reference: c.reference, status: c.status, outcome: c.outcome, channel: c.channel, categoryId: c.categoryId, regionId: c.regionId,
    language: c.language, urgent: c.urgent, contextId: c.contextId, assigneeId: c.assigneeId, assignedToMe: c.assigneeId === userId,
    unitId: c.unitId, receivedAt: iso(c.receivedAt), acknowledgeDueAt: isoOrNull(c.acknowledgeDueAt), acknowledgedAt: isoOrNull(c.acknowledgedAt),
    feedbackDueAt: isoOrNull(c.feedbackDueAt), closedAt: isoOrNull(c.closedAt), dueAt: isoOrNull(c.dueAt), overdue: c.overdue, unreadMessages: c.unreadMessages,
    priority: c.priority, contextName: c.contextName, categoryName: c.categoryName, regionName: c.regionName, assigneeName: c.assigneeName, intakeChannel: c.intakeChannel,
  };
}

export const presentStaffMessage = (m: MessageRecord): StaffMessage => ({
  id: m.id, author: m.author, authorUserId: m.authorUserId, authorName: m.authorName, body: b64(m.body), createdAt: iso(m.createdAt),
});

export const presentStaffMessagePage = (p: MessagePage): StaffMessagePage => ({ messages: p.messages.map(presentStaffMessage), older: p.older });

/** The case as ciphertexts plus the caller's own key wrap. */
export function presentCaseView(d: CaseDetail, userId: string): StaffCaseView {
  const c = d.case;
  return {
    ...presentCaseSummary(c, userId),
    unreadMessages: c.unreadMessages,
    excludedRecipientIds: c.excludedRecipientIds,
    feedbackDays: c.feedbackDays,
    report: b64(c.report),
    keyWrap: { recipientId: userId, sealedKey: b64(c.sealedKey) },
    statusHistory: d.history.map((h) => ({
      status: h.status, at: iso(h.at), actorId: h.actorId, outcome: h.outcome, reasonId: h.reasonId, reason: b64OrNull(h.reason),
    })),
    messages: d.messages.map(presentStaffMessage),
    olderMessages: d.olderMessages,
    notes: d.notes.map((n) => ({ id: n.id, authorUserId: n.authorUserId, authorName: n.authorName, body: b64(n.body), createdAt: iso(n.createdAt) })),
    holders: d.holders.map((h) => ({ userId: h.userId, displayName: h.displayName, unitId: h.unitId, grantedBy: h.grantedBy, grantedAt: iso(h.grantedAt) })),
    identity: c.identityCiphertext
      ? {
          ciphertext: b64(c.identityCiphertext),
          sealedKey: b64OrNull(d.identityWrap),
          disclosedAt: isoOrNull(c.identityDisclosedAt),
          custodians: d.custodians.map((p) => ({ id: p.id, displayName: p.displayName, publicKey: b64(p.publicKey) })),
          requests: d.requests.map((r) => ({
            id: r.id, requesterId: r.requesterId, requesterName: r.requesterName, status: r.status, reason: b64(r.reason),
            createdAt: iso(r.createdAt), decidedAt: isoOrNull(r.decidedAt),
          })),
        }
      : null,
  };
}

export const presentStatusChange = (s: StatusChanged): StatusChangeAnswer => ({
  status: s.status, outcome: s.outcome, at: iso(s.at), acknowledgedAt: isoOrNull(s.acknowledgedAt), feedbackDueAt: isoOrNull(s.feedbackDueAt), closedAt: isoOrNull(s.closedAt),
});
