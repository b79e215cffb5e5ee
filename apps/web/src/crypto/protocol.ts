// The typed message API between the UI and the crypto worker (apps/web/src/worker/). The UI sends
// plaintext it already shows and gets back handles and results; keys stay inside the worker. What
// the worker answers is defined once, in @sauti/core's wire types (types only: no zod in the UI).
import type {
  ActivationStart,
  Colleague,
  CustodianRequest,
  IdentityBody,
  Intake,
  MessagePageView,
  OpenedIdentity,
  ReportBody,
  ReporterCaseView,
  ReporterMessageView,
  StaffCaseDetail,
  StaffCaseSummary,
  StaffMessageView,
  CodesCreated,
  InvitationsQueued,
  IterationReport,
  IterationSummary,
  PublicIteration,
  DefinitionIssue,
  LocalizedText,
  SurveyDefinition,
  SurveyDetail,
  SurveyResponseBody,
  SurveySubmitAnswer,
  SurveySummary,
} from '@sauti/core';

export type {
  CodesCreated,
  DefinitionIssue,
  FactorChange,
  InvitationsQueued,
  IterationReport,
  IterationResults,
  IterationSummary,
  PublicIteration,
  SurveyDefinition,
  SurveyDetail,
  SurveyQuestion,
  SurveyResponseBody,
  SurveySummary,
  Cell,
  Breakdown,
  LocalizedText,
  CaseFile,
  CaseIdentityState,
  Colleague,
  CustodianRequest,
  IdentityBody,
  IdentityRequestView,
  OpenedIdentity,
  OpenedReport,
  PayloadProblem,
  ReportBody,
  ReporterCaseView,
  StaffCaseDetail,
  StaffCaseSummary,
} from '@sauti/core';

export type Stage = 'load' | 'argon2' | 'seal' | 'pow' | 'send' | 'open' | 'encrypt' | 'upload' | 'download' | 'decrypt';

/** done/total are counts (tried nonces) or bytes; absent when the step cannot measure itself. */
export type Progress = { stage: Stage; done?: number; total?: number };

export type ReceiptProblem = { reason: 'length' | 'symbol' | 'check'; group: number | null; count: number };
export type ReceiptCheckResult = { ok: true; formatted: string } | ({ ok: false } & ReceiptProblem);

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
  /**
   * Set when a signed-in intake officer records the report for someone who phoned, came in or wrote:
   * sealed the same way, filed through the staff session (no proof of work), never kept open here.
   */
  onBehalf?: 'hotline' | 'walk_in' | 'letter';
  /**
   * On behalf only: attachments follow, so a reporter session is opened for them (it costs a proof
   * of work, §5). Without attachments nothing but the staff filing is sent.
   */
  withAttachments?: boolean;
};

export type ReporterOps = {
  ready: { args: null; result: { protocol: 'SIP/1' }; progress: never };
  selfTest: { args: null; result: { passed: number; failed: { name: string; error: string }[] }; progress: never };
  checkReceipt: { args: { input: string }; result: ReceiptCheckResult; progress: never };
  /** GET /api/v1/intake: public data (channels, categories, recipients' names and public keys). */
  intake: { args: null; result: Intake; progress: never };
  submitReport: { args: SubmitArgs; result: { handle: string | null; receipt: string; reference: string }; progress: Progress };
  openCase: { args: { receipt: string }; result: { handle: string; view: ReporterCaseView }; progress: Progress };
  refreshCase: { args: { handle: string }; result: ReporterCaseView; progress: never };
  sendMessage: { args: { handle: string; text: string }; result: ReporterCaseView; progress: never };
  /** The page of messages before `before` (the view's olderMessages, then each page's older). */
  olderMessages: { args: { handle: string; before: string }; result: MessagePageView<ReporterMessageView>; progress: never };
  uploadFile: { args: { handle: string; file: File }; result: { id: string }; progress: Progress };
  downloadFile: { args: { handle: string; fileId: string }; result: { name: string; type: string; blob: Blob }; progress: Progress };
  forget: { args: { handle: string }; result: null; progress: never };
};

export type StaffUser = { userId: string; displayName: string; roles: string[] };

export type StaffCaseFilters = { status?: string; assignee?: string; overdue?: boolean; sort?: string; page?: number };

export type StaffOps = {
  staffLogin: { args: { email: string; password: string; totp: string }; result: StaffUser; progress: Progress };
  staffLogout: { args: null; result: null; progress: never };
  staffCases: { args: StaffCaseFilters; result: { total: number; items: StaffCaseSummary[] }; progress: never };
  staffCase: { args: { caseId: string }; result: StaffCaseDetail; progress: never };
  staffMessage: { args: { caseId: string; text: string }; result: StaffCaseDetail; progress: never };
  staffOlderMessages: { args: { caseId: string; before: string }; result: MessagePageView<StaffMessageView>; progress: never };
  staffNote: { args: { caseId: string; text: string }; result: StaffCaseDetail; progress: never };
  staffStatus: { args: { caseId: string; to: string; outcome: string | null; reason: string }; result: StaffCaseDetail; progress: never };
  staffRecuse: { args: { caseId: string }; result: null; progress: never };
  staffUpload: { args: { caseId: string; file: File }; result: StaffCaseDetail; progress: Progress };
  staffDownload: { args: { caseId: string; fileId: string }; result: { name: string; type: string; blob: Blob }; progress: Progress };
  /** The server's export bundle (ciphertexts only), as a file to save. */
  staffExport: { args: { caseId: string }; result: { name: string; blob: Blob }; progress: never };
};

export type ActivationInfo = Omit<ActivationStart, 'userId'>;

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

export type StaffSharingOps = {
  staffDirectory: { args: null; result: Colleague[]; progress: never };
  staffGrant: { args: { caseId: string; recipientId: string; assign: boolean }; result: StaffCaseDetail; progress: never };
  staffRevoke: { args: { caseId: string; userId: string }; result: StaffCaseDetail; progress: never };
  staffRequestIdentity: { args: { caseId: string; reason: string }; result: StaffCaseDetail; progress: never };
  staffReadIdentity: { args: { caseId: string }; result: OpenedIdentity; progress: never };
  staffIdentityQueue: { args: { status: 'pending' | 'all' }; result: CustodianRequest[]; progress: never };
  staffDecideIdentity: { args: { requestId: string; approve: boolean; reason?: string }; result: null; progress: never };
};

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An admin API answer as it came: 4xx answers carry { error, issues } for the screens to show next to fields. */
export type AdminAnswer<T = unknown> = { status: number; body: T };

export type TotpResetInfo = ActivationInfo;

/**
 * Admin calls go through the crypto worker only because the session's CSRF token lives there
 * (with the staff session); they carry no keys and no content.
 */
export type AdminOps = {
  /** `path` is below /api/v1/admin, e.g. "/units". */
  adminRequest: { args: { method: AdminMethod; path: string; body?: unknown }; result: AdminAnswer; progress: never };
  totpResetStart: { args: { token: string }; result: TotpResetInfo; progress: never };
  /** Derives loginKey from the password (Argon2id) and sends it with the new authenticator's first code. */
  totpResetComplete: { args: { token: string; password: string; totp: string }; result: null; progress: Progress };
};

/** Integrity monitoring (issue 14): aggregated figures; no keys, no content. 4xx answers come back as they are. */
export type StatisticsOps = {
  statistics: { args: { view: 'summary' | 'breakdown'; query: Record<string, string> }; result: AdminAnswer; progress: never };
  /** Public: the transparency figures, or 404 when the deployment does not publish them. */
  transparency: { args: null; result: AdminAnswer; progress: never };
};


/** Surveys (issue 15, docs/protocol.md §10): respondents, stations and analysts. */
export type SurveyStationStatus = { tokens: number; queued: number; iteration: PublicIteration | null };
export type SurveyOps = {
  surveyLoad: { args: { iterationId: string }; result: PublicIteration; progress: never };
  /** Redeems the code for a blind-signed token kept in this worker; the server never sees the token. */
  surveyRedeem: { args: { iterationId: string; code: string }; result: null; progress: never };
  /** Seals the answers here and sends them after a random delay of up to maxDelayMs. */
  surveySubmit: { args: { iterationId: string; body: SurveyResponseBody; maxDelayMs: number }; result: SurveySubmitAnswer; progress: Progress };
  stationPrepare: { args: { iterationId: string; code: string; count: number }; result: SurveyStationStatus; progress: Progress };
  stationStatus: { args: { iterationId: string }; result: SurveyStationStatus; progress: never };
  /** The iterations this device was prepared for as a station (the installed station's start page). */
  stationList: { args: null; result: { id: string; title: LocalizedText }[]; progress: never };
  /** Seals one respondent's answers at once and queues only the ciphertext in IndexedDB. */
  stationSeal: { args: { iterationId: string; body: SurveyResponseBody }; result: SurveyStationStatus; progress: never };
  stationFlush: { args: { iterationId: string }; result: SurveyStationStatus & { sent: number }; progress: never };
  surveysList: { args: null; result: SurveySummary[]; progress: never };
  surveyCreateFromTemplate: { args: null; result: SurveyDetail; progress: never };
  surveyGet: { args: { surveyId: string }; result: SurveyDetail; progress: never };
  /** The API's own schema (checkSurveyDefinition), run here because the UI carries no zod. */
  surveyCheckDefinition: { args: { definition: unknown }; result: DefinitionIssue[]; progress: never };
  surveyCreate: { args: { definition: SurveyDefinition }; result: SurveyDetail; progress: never };
  /** A new definition; iterations already opened keep the questionnaires they were opened with. */
  surveyUpdate: { args: { surveyId: string; definition: SurveyDefinition }; result: SurveyDetail; progress: never };
  surveyOpenIteration: { args: { surveyId: string; openLink: boolean }; result: IterationSummary; progress: never };
  surveyCloseIteration: { args: { iterationId: string }; result: IterationSummary; progress: never };
  surveyCodes: { args: { iterationId: string; count: number; uses: number }; result: CodesCreated; progress: never };
  /** One personal code per address, e-mailed by the server's worker; the count comes back, never the codes. */
  surveyInvitations: { args: { iterationId: string; emails: string[] }; result: InvitationsQueued; progress: never };
  /** Decrypts every response of the iteration (and the previous one) here and aggregates them. */
  surveyResults: { args: { iterationId: string }; result: { report: IterationReport; csv: string }; progress: Progress };
  /** Records the reason in the audit log first, then decrypts every response into a JSON file. */
  surveyRawExport: { args: { iterationId: string; reason: string }; result: { name: string; blob: Blob }; progress: never };
};


export type Ops = ReporterOps & StaffOps & StaffAccountOps & StaffSharingOps & AdminOps & StatisticsOps & SurveyOps;
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

/** `reason`: the API's machine-readable name of the failure, when it gave one (translated by ui/errors.ts). */
export type WorkerError = { code: WorkerErrorCode; status?: number; detail?: string; reason?: string };

export type WorkerResponse =
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WorkerError };
