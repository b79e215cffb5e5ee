/**
 * Every API path a Sauti client calls (docs/protocol.md, docs/staff-api.md), in one place.
 * Ids are uuids checked by the server; job ids are percent-encoded.
 */
const V1 = '/api/v1';

const pageQuery = (before: string, limit?: number): string =>
  new URLSearchParams(limit === undefined ? { before } : { before, limit: String(limit) }).toString();

export const paths = {
  intake: `${V1}/intake`,
  pow: `${V1}/pow`,
  reports: `${V1}/reports`,
  reporter: {
    session: `${V1}/reporter/session`,
    case: `${V1}/reporter/case`,
    messages: `${V1}/reporter/case/messages`,
    /** The page of messages before `before` (a message id; see MESSAGE_PAGE_* in @sauti/core). */
    messagesBefore: (before: string, limit?: number) => `${V1}/reporter/case/messages?${pageQuery(before, limit)}`,
    files: `${V1}/reporter/case/files`,
    fileContent: (fileId: string) => `${V1}/reporter/case/files/${fileId}/content`,
  },
  auth: {
    salt: `${V1}/auth/salt`,
    login: `${V1}/auth/login`,
    logout: `${V1}/auth/logout`,
    activationStart: `${V1}/auth/activation/start`,
    activation: `${V1}/auth/activation`,
    password: `${V1}/auth/password`,
    recoveryStart: `${V1}/auth/recovery/start`,
    recoveryComplete: `${V1}/auth/recovery/complete`,
    totpResetStart: `${V1}/auth/totp-reset/start`,
    totpResetComplete: `${V1}/auth/totp-reset/complete`,
  },
  staff: {
    me: `${V1}/staff/me`,
    onBehalfReports: `${V1}/staff/on-behalf-reports`,
    directory: `${V1}/staff/directory`,
    stats: `${V1}/staff/stats`,
    statisticsSummary: `${V1}/staff/statistics/summary`,
    statisticsBreakdown: `${V1}/staff/statistics/breakdown`,
    cases: `${V1}/staff/cases`,
    case: (caseId: string) => `${V1}/staff/cases/${caseId}`,
    caseStatus: (caseId: string) => `${V1}/staff/cases/${caseId}/status`,
    caseMessages: (caseId: string) => `${V1}/staff/cases/${caseId}/messages`,
    caseMessagesBefore: (caseId: string, before: string, limit?: number) => `${V1}/staff/cases/${caseId}/messages?${pageQuery(before, limit)}`,
    caseNotes: (caseId: string) => `${V1}/staff/cases/${caseId}/notes`,
    caseGrants: (caseId: string) => `${V1}/staff/cases/${caseId}/grants`,
    caseGrant: (caseId: string, userId: string) => `${V1}/staff/cases/${caseId}/grants/${userId}`,
    caseRecusal: (caseId: string) => `${V1}/staff/cases/${caseId}/recusal`,
    caseIdentityRequests: (caseId: string) => `${V1}/staff/cases/${caseId}/identity-requests`,
    caseFeedbackExtension: (caseId: string) => `${V1}/staff/cases/${caseId}/feedback-extension`,
    caseExport: (caseId: string) => `${V1}/staff/cases/${caseId}/export`,
    caseFiles: (caseId: string) => `${V1}/staff/cases/${caseId}/files`,
    caseFileContent: (caseId: string, fileId: string) => `${V1}/staff/cases/${caseId}/files/${fileId}/content`,
    identityRequests: (status: string) => `${V1}/staff/identity-requests?status=${status}`,
    identityApprove: (requestId: string) => `${V1}/staff/identity-requests/${requestId}/approve`,
    identityDeny: (requestId: string) => `${V1}/staff/identity-requests/${requestId}/deny`,
  },
  /** Public aggregated figures, when the deployment publishes them (issue 14). */
  transparency: `${V1}/transparency`,
  surveys: {
    iteration: (iterationId: string) => `${V1}/surveys/iterations/${iterationId}`,
    redeem: (iterationId: string) => `${V1}/surveys/iterations/${iterationId}/redeem`,
    responses: (iterationId: string) => `${V1}/surveys/iterations/${iterationId}/responses`,
    staff: `${V1}/staff/surveys`,
    staffSurvey: (surveyId: string) => `${V1}/staff/surveys/${surveyId}`,
    staffIterations: (surveyId: string) => `${V1}/staff/surveys/${surveyId}/iterations`,
    staffIteration: (iterationId: string) => `${V1}/staff/survey-iterations/${iterationId}`,
    close: (iterationId: string) => `${V1}/staff/survey-iterations/${iterationId}/close`,
    codes: (iterationId: string) => `${V1}/staff/survey-iterations/${iterationId}/codes`,
    invitations: (iterationId: string) => `${V1}/staff/survey-iterations/${iterationId}/invitations`,
    staffResponses: (iterationId: string, after: string | null, limit: number) =>
      `${V1}/staff/survey-iterations/${iterationId}/responses?limit=${limit}${after ? `&after=${after}` : ''}`,
    rawExport: (iterationId: string) => `${V1}/staff/survey-iterations/${iterationId}/raw-export`,
  },
  /** The admin API's prefix; admin-api.ts names the resources below it. */
  admin: `${V1}/admin`,
};
