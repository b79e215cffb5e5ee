import { leadingZeroBits, powHash } from '@sauti/crypto';
import { OpError } from './op-error';

const SLICE = 4096;

/**
 * §6 like solvePow (smallest nonce, tried in order), but yields to the event loop between
 * slices so that a cancel message can be received and progress reported.
 */
export async function solvePowCancellable(
  challenge: string,
  difficulty: number,
  signal: AbortSignal,
  onProgress: (tried: number) => void,
): Promise<string> {
  for (let start = 0; ; start += SLICE) {
    for (let nonce = start; nonce < start + SLICE; nonce++) {
      if (leadingZeroBits(powHash(challenge, nonce)) >= difficulty) return String(nonce);
    }
    onProgress(start + SLICE);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal.aborted) throw new OpError('cancelled');
  }
}
