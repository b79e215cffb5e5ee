// The typed message API between the UI and the crypto worker. The UI sends plaintext it
// already shows and gets back handles and results; keys stay inside the worker.
import type { AdminOps } from '../admin/admin-protocol';

export type Stage = 'load' | 'argon2' | 'seal' | 'pow' | 'send' | 'open' | 'encrypt' | 'upload' | 'download' | 'decrypt';

/** done/total are counts (tried nonces) or bytes; absent when the step cannot measure itself. */
export type Progress = { stage: Stage; done?: number; total?: number };

export type ReceiptProblem = { reason: 'length' | 'symbol' | 'check'; group: number | null; count: number };
export type ReceiptCheckResult = { ok: true; formatted: string } | ({ ok: false } & ReceiptProblem);

/** What the reporter wrote. It is encrypted as is, so staff read exactly this. */
export type ReportBody = {
  v: 1;
  answers: { id: string; label: string; value: string }[];
  text: string;
};

export type IdentityBody = { v: 1; name: string; contact: string };

export type SubmitArgs = {
  /** Chosen by the UI per draft, so a retry after a lost answer re-sends the same sealed report. */
  draftId: string;
  contextId: string;
  category: string;
  region: string | null;
  language: string;
  urgent: boolean;
  exclude: string[];
  body: ReportBody;
  identity: IdentityBody | null;
};

export type CaseFile = { id: string; name: string; type: string; size: number; author: 'reporter' | 'staff'; createdAt: string };

export type ReporterCaseView = {
  id: string;
  reference: string;
  status: string;
  statusHistory: { status: string; at: string }[];
  receivedAt: string;
  acknowledgedAt: string | null;
  feedbackDueAt: string | null;
  report: ReportBody | null;
  messages: { id: string; author: 'reporter' | 'staff'; text: string | null; createdAt: string }[];
  files: CaseFile[];
  /** Files whose details could not be decrypted: shown as damaged rather than hidden. */
  damagedFiles: number;
};

export type ReporterOps = {
  ready: { args: null; result: { protocol: 'SIP/1' }; progress: never };
  selfTest: { args: null; result: { passed: number; failed: { name: string; error: string }[] }; progress: never };
  checkReceipt: { args: { input: string }; result: ReceiptCheckResult; progress: never };
  submitReport: { args: SubmitArgs; result: { handle: string | null; receipt: string; reference: string }; progress: Progress };
  openCase: { args: { receipt: string }; result: { handle: string; view: ReporterCaseView }; progress: Progress };
  refreshCase: { args: { handle: string }; result: ReporterCaseView; progress: never };
  sendMessage: { args: { handle: string; text: string }; result: ReporterCaseView; progress: never };
  uploadFile: { args: { handle: string; file: File }; result: { id: string }; progress: Progress };
  downloadFile: { args: { handle: string; fileId: string }; result: { name: string; type: string; blob: Blob }; progress: Progress };
  forget: { args: { handle: string }; result: null; progress: never };
};

export type StaffUser = { userId: string; displayName: string; roles: string[] };

export type StaffCaseSummary = {
  id: string; reference: string; status: string; outcome: string | null; channel: string; categoryId: string; regionId: string | null;
  language: string; urgent: boolean; assigneeId: string | null; assignedToMe: boolean; receivedAt: string; acknowledgeDueAt: string | null;
  acknowledgedAt: string | null; feedbackDueAt: string | null; closedAt: string | null; dueAt: string | null; overdue: boolean; unreadMessages: number;
};

export type StaffCaseFilters = { status?: string; assignee?: string; overdue?: boolean; sort?: string; page?: number };

export type StaffCaseDetail = {
  summary: StaffCaseSummary;
  report: ReportBody | null;
  messages: { id: string; author: 'reporter' | 'staff'; authorName: string | null; text: string | null; createdAt: string }[];
  notes: { id: string; authorName: string; text: string | null; createdAt: string }[];
  statusHistory: { status: string; at: string; outcome: string | null; reason: string | null }[];
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

/** An identity request as the case's handlers see it: the reason decrypted under staffKey. */
export type IdentityRequestView = {
  id: string; requesterId: string; requesterName: string; status: string; reason: string | null; createdAt: string; decidedAt: string | null;
};

export type CaseIdentityState = {
  /** True once a custodian re-sealed identityKey to this viewer. */
  readable: boolean;
  disclosedAt: string | null;
  custodians: string[];
  requests: IdentityRequestView[];
};

export type StaffOps = {
  staffLogin: { args: { email: string; password: string; totp: string }; result: StaffUser; progress: Progress };
  staffLogout: { args: null; result: null; progress: never };
  staffCases: { args: StaffCaseFilters; result: { total: number; items: StaffCaseSummary[] }; progress: never };
  staffCase: { args: { caseId: string }; result: StaffCaseDetail; progress: never };
  staffMessage: { args: { caseId: string; text: string }; result: StaffCaseDetail; progress: never };
  staffNote: { args: { caseId: string; text: string }; result: StaffCaseDetail; progress: never };
  staffStatus: { args: { caseId: string; to: string; outcome: string | null; reason: string }; result: StaffCaseDetail; progress: never };
  staffRecuse: { args: { caseId: string }; result: null; progress: never };
  staffUpload: { args: { caseId: string; file: File }; result: StaffCaseDetail; progress: Progress };
  staffDownload: { args: { caseId: string; fileId: string }; result: { name: string; type: string; blob: Blob }; progress: Progress };
  /** The server's export bundle (ciphertexts only), as a file to save. */
  staffExport: { args: { caseId: string }; result: { name: string; blob: Blob }; progress: never };
};

export type ActivationInfo = { email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: string };

export type StaffAccountInfo = {
  email: string; displayName: string; roles: string[];
  /** The session's hard end (12 hours after sign-in), and the idle limit counted from the last request. */
  expiresAt: string | null; idleTimeoutSeconds: number; lastActivityAt: string;
};

export type StaffAccountOps = {
  staffActivationStart: { args: { token: string }; result: ActivationInfo; progress: never };
  /** Makes the keys (Argon2id) while the person sets up the authenticator; the password is not kept. */
  staffActivationKeys: { args: { token: string; password: string }; result: null; progress: Progress };
  /** Sends the keys with the first code; answers the recovery key, to be shown once. */
  staffActivate: { args: { token: string; totp: string }; result: { email: string; recoveryKey: string }; progress: Progress };
  staffRecover: { args: { email: string; recoveryKey: string; totp: string; password: string }; result: null; progress: Progress };
  staffChangePassword: { args: { current: string; next: string }; result: { endedSessions: number }; progress: Progress };
  staffAccount: { args: null; result: StaffAccountInfo; progress: never };
};

export type Colleague = { id: string; displayName: string; unitName: string | null; canHandleCases: boolean };

/** A custodian's queue item: the reason opened with the custodian's own private key. */
export type CustodianRequest = {
  id: string; caseId: string; caseReference: string; requesterName: string; reason: string | null; status: string; createdAt: string; decidedAt: string | null;
};

export type StaffSharingOps = {
  staffDirectory: { args: null; result: Colleague[]; progress: never };
  staffGrant: { args: { caseId: string; recipientId: string; assign: boolean }; result: StaffCaseDetail; progress: never };
  staffRevoke: { args: { caseId: string; userId: string }; result: StaffCaseDetail; progress: never };
  staffRequestIdentity: { args: { caseId: string; reason: string }; result: StaffCaseDetail; progress: never };
  staffReadIdentity: { args: { caseId: string }; result: IdentityBody; progress: never };
  staffIdentityQueue: { args: { status: 'pending' | 'all' }; result: CustodianRequest[]; progress: never };
  staffDecideIdentity: { args: { requestId: string; approve: boolean }; result: null; progress: never };
};

export type Ops = ReporterOps & StaffOps & StaffAccountOps & StaffSharingOps & AdminOps;
export type OpName = keyof Ops;

export type WorkerRequest =
  | { kind: 'call'; id: number; op: OpName; args: unknown }
  | { kind: 'cancel'; id: number };

/** Error codes the UI translates; `detail` is the server's own message where there is one. */
export type WorkerErrorCode =
  | 'cancelled'
  | 'network'
  | 'rejected'
  | 'not_found'
  | 'too_large'
  | 'unauthenticated'
  | 'unavailable'
  | 'bad_receipt'
  | 'decrypt_failed'
  | 'truncated'
  | 'not_ready'
  | 'internal';

export type WorkerError = { code: WorkerErrorCode; status?: number; detail?: string };

export type WorkerResponse =
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WorkerError };
