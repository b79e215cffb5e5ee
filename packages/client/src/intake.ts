import { solvePow } from '@sauti/crypto';
import type { Intake, PowChallenge } from '@sauti/core';
import { paths } from './paths';
import type { Transport } from './transport';

/** GET /api/v1/intake: the contexts, their recipients' public keys and the receipt salt. */
export function fetchIntake(t: Transport): Promise<Intake> {
  return t.send<Intake>('GET', paths.intake, undefined, [200], 'intake');
}

/** POST /api/v1/pow: a challenge to solve before submitting (§6). */
export function requestPow(t: Transport): Promise<PowChallenge> {
  return t.send<PowChallenge>('POST', paths.pow, undefined, [201], 'pow');
}

/** Asks for a challenge and solves it here, blocking (a browser solves it in slices, see the web's worker). */
export async function proofOfWork(t: Transport, onProgress?: (tried: number) => void): Promise<{ challenge: string; nonce: string }> {
  const { challenge, difficulty } = await requestPow(t);
  return { challenge, nonce: solvePow(challenge, difficulty, onProgress) };
}
