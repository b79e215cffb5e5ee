import { z } from 'zod';
import { email } from './auth';
import { uuidV4 } from './common';

/**
 * docs/protocol.md §6: the optional body of POST /api/v1/pow. A challenge may name the context a
 * report will go to, or the address a sign-in or recovery is for (never both); it is then good for
 * that use only, and its difficulty is the larger of the global one and that context's or address's.
 * No body (or `{}`) asks for an unbound challenge, as before.
 */
export const powRequestSchema = z
  .strictObject({ contextId: uuidV4.optional(), email: email.optional() })
  .refine((v) => !(v.contextId && v.email), { error: 'names a context or an e-mail address, not both', path: ['email'] });

export type PowRequest = { contextId?: string; email?: string };
