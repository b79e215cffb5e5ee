/**
 * The SIP/1 wire contract: every request and response body of the reporter, staff and admin APIs,
 * the zod schemas the server validates requests with, and the decrypted payloads (docs/protocol.md).
 * One file per resource; the api builds its answers with these types, the clients read them.
 */
export * from './common';
export * from './text';
export * from './localised';
export * from './intake';
export * from './reports';
export * from './reporter';
export * from './messages';
export * from './files';
export * from './auth';
export * from './pow';
export * from './account';
export * from './totp-reset';
export * from './staff-cases';
export * from './sharing';
export * from './identity';
export * from './invites';
export * from './admin-people';
export * from './admin-units';
export * from './admin-contexts';
export * from './admin-pipeline';
export * from './surveys';
export * from './payloads';
export * from './views';
export * from './statistics';
