import type { B64 } from './common';

/** GET /api/v1/staff/me: the signed-in member's own account, with its wrapped private keys. */
export type StaffMe = {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  unitId: string | null;
  publicKey: B64 | null;
  encryptedPrivateKey: B64 | null;
  recoveryEncryptedPrivateKey: B64 | null;
};
