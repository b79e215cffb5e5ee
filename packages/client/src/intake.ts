import { solvePow } from '@sauti/crypto';
import type { Intake, PowChallenge, PowRequest } from '@sauti/core';
import { paths } from './paths';
import type { Transport } from './transport';

/** GET /api/v1/intake: the contexts, their recipients' public keys and the receipt salt. */
export function fetchIntake(t: Transport): Promise<Intake> {
  return t.send<Intake>('GET', paths.intake, undefined, [200], 'intake');
}

/**
 * POST /api/v1/pow: a challenge to solve before submitting (§6). Naming the context of a report, or
 * the address of a sign-in or recovery, binds the challenge to it (and gives that context's or
 * address's difficulty); with nothing named it is unbound.
 */
export function requestPow(t: Transport, use: PowRequest = {}): Promise<PowChallenge> {
  return t.send<PowChallenge>('POST', paths.pow, use.contextId || use.email ? use : undefined, [201], 'pow');
}

/** Asks for a challenge and solves it here, blocking (a browser solves it in slices, see the web's worker). */
export async function proofOfWork(t: Transport, onProgress?: (tried: number) => void, use: PowRequest = {}): Promise<{ challenge: string; nonce: string }> {
  const { challenge, difficulty } = await requestPow(t, use);
  return { challenge, nonce: solvePow(challenge, difficulty, onProgress) };
}
