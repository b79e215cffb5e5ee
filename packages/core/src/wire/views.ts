import type { IsoDate } from './common';
import type { IdentityBody, PayloadProblem, ReportBody } from './payloads';
import type { ReporterCase } from './reporter';
import type { StaffCaseSummary } from './staff-cases';

/**
 * What a client shows once it has opened a case with its keys: the wire views with their
 * ciphertexts replaced by the checked payloads. Produced by @sauti/client, shown by the web UI.
 * A `null` text or report could not be decrypted; it is shown as such, never hidden.
 */

/** A report body as read (docs/protocol.md §9), with the notice to show when it did not follow the spec. */
export type OpenedReport = ReportBody & { problem?: PayloadProblem | null };
export type OpenedIdentity = IdentityBody & { problem?: PayloadProblem | null };

export type CaseFile = { id: string; name: string; type: string; size: number; author: 'reporter' | 'staff'; createdAt: IsoDate };

export type ReporterMessageView = { id: string; author: 'reporter' | 'staff'; text: string | null; createdAt: IsoDate };
export type StaffMessageView = { id: string; author: 'reporter' | 'staff'; authorName: string | null; text: string | null; createdAt: IsoDate };

/** A page of messages as opened, oldest first; `older` fetches the page before it (null: none). */
export type MessagePageView<M> = { messages: M[]; older: string | null };

/** The reporter's case as opened: the ReporterCase header, its ciphertexts replaced by what they hold. */
export type ReporterCaseView = Pick<ReporterCase, 'id' | 'reference' | 'status' | 'statusHistory' | 'receivedAt' | 'acknowledgedAt' | 'feedbackDueAt'> & {
  acknowledgeDueAt: IsoDate | null;
  /** When a custodian let the handling team see the reporter's identity; null if never. */
  identityDisclosedAt: IsoDate | null;
  report: OpenedReport | null;
  messages: ReporterMessageView[];
  /** Cursor for the page of messages before `messages`; null when these are all. */
  olderMessages: string | null;
  files: CaseFile[];
  /** Files whose details could not be decrypted: shown as damaged rather than hidden. */
  damagedFiles: number;
};

/** An identity request as the case's handlers see it: the reason decrypted under staffKey. */
export type IdentityRequestView = {
  id: string; requesterId: string; requesterName: string; status: string; reason: string | null; createdAt: IsoDate; decidedAt: IsoDate | null;
};

export type CaseIdentityState = {
  /** True once a custodian re-sealed identityKey to this viewer. */
  readable: boolean;
  disclosedAt: IsoDate | null;
  custodians: string[];
  requests: IdentityRequestView[];
};

export type StaffCaseDetail = {
  summary: StaffCaseSummary;
  report: OpenedReport | null;
  messages: StaffMessageView[];
  /** Cursor for the page of messages before `messages`; null when these are all. */
  olderMessages: string | null;
  notes: { id: string; authorName: string; text: string | null; createdAt: IsoDate }[];
  statusHistory: { status: string; at: IsoDate; outcome: string | null; reason: string | null }[];
  holders: { userId: string; displayName: string; grantedBy?: string | null }[];
  files: CaseFile[];
  damagedFiles: number;
  hasIdentity: boolean;
  /** Who is looking: decides which revoke buttons and identity actions to offer (the server still decides). */
  viewer?: { userId: string; roles: string[] };
  /** People the reporter kept out: never offered as recipients of a grant. */
  excludedRecipientIds?: string[];
  identity?: CaseIdentityState | null;
};

/** A colleague a case can be granted to. */
export type Colleague = { id: string; displayName: string; unitName: string | null; canHandleCases: boolean };

/** A custodian's queue item: the reason opened with the custodian's own private key. */
export type CustodianRequest = {
  id: string; caseId: string; caseReference: string; requesterName: string; reason: string | null; status: string; createdAt: IsoDate; decidedAt: IsoDate | null;
};
