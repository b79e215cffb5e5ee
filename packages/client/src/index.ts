/**
 * @sauti/client: every SIP/1 protocol step of a reporter, staff or admin client, written from
 * docs/protocol.md and docs/staff-api.md. The web's crypto worker, the tests and the benchmarks
 * call it; nothing else spells an API path or builds a request body.
 *
 * transport   fetch, bearer token / session cookie, CSRF header, errors (ApiError)
 * paths       every API path
 * intake, report, reporter-case, case-files   the reporter's steps (§4–§7)
 * staff-session, staff-cases, sharing, identity, account   the staff steps
 * admin-api   the admin API, one function per call
 * statistics  integrity monitoring figures (staff) and the public transparency figures
 * payloads    decrypting and checking the §9 payloads
 */
export { formatReceipt } from '@sauti/crypto';
export type { Intake, IntakeContext, IntakePerson, ReportRequest, ReporterCase, StaffCaseView, IdentityRequestItem } from '@sauti/core';
export * from './transport';
export { paths } from './paths';
export * from './intake';
export * from './report';
export * from './reporter-case';
export * from './case-files';
export * from './payloads';
export { ReporterClient } from './reporter-client';
export * from './staff-session';
export * as staffCases from './staff-cases';
export * as sharing from './sharing';
export * as identity from './identity';
export * as account from './account';
export * from './admin-api';
export * as statistics from './statistics';
export * as surveys from './surveys';
export { StaffClient, type StaffAnswer, type StaffClientOptions } from './staff';
