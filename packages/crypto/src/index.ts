// @sauti/crypto: SIP/1 (normative spec: docs/protocol.md) for browsers, workers and Node.
// Call `await ready()` once; everything else is synchronous.
export { ready } from './sodium';
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors';
export { toB64, fromB64, utf8, fromUtf8, toHex, fromHex, concatBytes, bytesEqual, type Bytes } from './encoding';
export {
  hash,
  randomBytes,
  randomUuid,
  isUuidV4,
  SIZES,
  generateKeyPair,
  keyPairFromSeed,
  keyPairFromPrivateKey,
  type KeyPair,
} from './primitives';

// §0
export { aeadEncrypt, aeadDecrypt, seal, openSealed } from './aead';
// §1, §2
export { RECEIPT_ALPHABET, RECEIPT_LENGTH, generateReceipt, formatReceipt, normalizeReceipt, receiptCheckSymbol, type ReceiptCheck } from './receipt';
export { deriveReceiptKeys, lookupFromAuthKey, type ReceiptKeys } from './receipt-keys';
// §3
export {
  createStaffKeys,
  deriveStaffKeys,
  unwrapPrivateKey,
  recoverPrivateKey,
  rewrapPrivateKey,
  parseRecoveryKey,
  formatRecoveryKey,
  type StaffKeyMaterial,
} from './staff-keys';
// §4
export {
  sealReport,
  openKeyWrap,
  openReporterKey,
  openReport,
  openIdentity,
  grantCaseKeys,
  grantIdentityKey,
  type Recipient,
  type KeyWrap,
  type SealedReport,
} from './report';
// §5
export { encryptMessage, decryptMessage, encryptNote, decryptNote } from './messages';
// §6
export { powHash, leadingZeroBits, verifyPow, solvePow, powExpectedTries, powExpectedSeconds } from './pow';
// §7
export {
  FILE_CHUNK,
  FILE_HEADER,
  FILE_CHUNK_OVERHEAD,
  FILE_CIPHER_CHUNK,
  fileKeygen,
  encryptedFileSize,
  FileEncryptor,
  FileDecryptor,
  encryptFile,
  decryptFile,
} from './file-stream';
export { encryptFileMeta, decryptFileMeta, type FileMeta } from './file-meta';
// §8
export { runVectors, type VectorsResult } from './vectors-runner';
// §10
export {
  SURVEY_TOKEN_SUITE,
  SURVEY_KEY_BITS,
  surveyTokenAd,
  surveyResponseAd,
  generateSurveyKeyPair,
  surveyTokenMessage,
  blindSurveyToken,
  blindSignSurveyToken,
  finalizeSurveyToken,
  verifySurveyToken,
  sealSurveyResponse,
  openSurveyResponse,
  type BlindedToken,
  type SurveyAnalyst,
  type SurveyKeyWrap,
  type SealedSurveyResponse,
} from './survey';
export { runSurveyVectors } from './survey-vectors';
