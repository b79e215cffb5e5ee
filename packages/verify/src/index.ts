// @sauti/verify: the release manifest format, its Ed25519 signature, and the outside verifier.
// Depends on nothing of the server, so anyone can run it against any deployment.
export * from './manifest';
export { sha256Hex, listServedFiles } from './files';
export { SIGNING_CONTEXT, keyIdOf, publicKeyFromPrivate, generateReleaseKey, signManifest, addSignature, validSigners } from './signing';
export { verifyDeployment, formatReport, type Finding, type FindingKind, type VerifyReport } from './deployment';
export { loadPinnedKeys, PINNED_KEYS_FILE } from './pinned-keys';
