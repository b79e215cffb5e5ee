export * from './result';
export * from './base64url';
export * from './ids';
export * from './case-status';
export * from './sla';
export * from './assignment';
export * from './schemas';
export * from './context-rules';
