import type { Progress } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { describeError } from '../ui/errors';

export type UploadOutcome = {
  done: string[];
  failed: { name: string; reason: string }[];
  current: { name: string; progress: Progress; cancel: () => void } | null;
};

/** Encrypts and uploads files one after another; a failure or cancel skips that file only. */
export async function uploadAll(handle: string | null, files: File[], onState: (s: UploadOutcome) => void): Promise<UploadOutcome> {
  const state: UploadOutcome = { done: [], failed: [], current: null };
  for (const file of files) {
    if (!handle) {
      state.failed.push({ name: file.name, reason: describeError(null).message });
      continue;
    }
    const controller = new AbortController();
    state.current = { name: file.name, progress: { stage: 'encrypt', done: 0, total: file.size }, cancel: () => controller.abort() };
    onState({ ...state });
    try {
      await cryptoWorker().call('uploadFile', { handle, file }, {
        signal: controller.signal,
        onProgress: (progress) => {
          state.current = { name: file.name, progress, cancel: () => controller.abort() };
          onState({ ...state });
        },
      });
      state.done.push(file.name);
    } catch (e) {
      const { message, detail } = describeError(e);
      state.failed.push({ name: file.name, reason: detail ? `${message} ${detail}` : message });
    }
  }
  state.current = null;
  return state;
}
