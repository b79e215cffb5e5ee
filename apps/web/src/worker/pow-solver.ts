import { leadingZeroBits, powExpectedSeconds, powHash } from '@sauti/crypto';
import { OpError } from './op-error';

const SLICE = 4096;

/**
 * §6 like solvePow (smallest nonce, tried in order), but yields to the event loop between
 * slices so that a cancel message can be received and progress reported, with the expected wait
 * for the challenge's difficulty (which rises under load) at the speed measured so far.
 */
export async function solvePowCancellable(
  challenge: string,
  difficulty: number,
  signal: AbortSignal,
  onProgress: (tried: number, expectedSeconds: number | null) => void,
): Promise<string> {
  const started = performance.now();
  for (let start = 0; ; start += SLICE) {
    for (let nonce = start; nonce < start + SLICE; nonce++) {
      if (leadingZeroBits(powHash(challenge, nonce)) >= difficulty) return String(nonce);
    }
    // The expected wait from the difficulty and this device's speed so far (issue 11).
    const seconds = (performance.now() - started) / 1000;
    onProgress(start + SLICE, seconds > 0 ? powExpectedSeconds(difficulty, (start + SLICE) / seconds) : null);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal.aborted) throw new OpError('cancelled');
  }
}
