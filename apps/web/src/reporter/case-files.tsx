import { saveBlob } from '../ui/save-blob';
import { useRef, useState } from 'preact/hooks';
import type { Progress, ReporterCaseView } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatBytes, formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { ProgressSteps } from '../ui/progress';

export function CaseFiles({ handle, view, onChanged }: { handle: string; view: ReporterCaseView; onChanged: () => Promise<void> }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (work: (signal: AbortSignal) => Promise<void>) => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setDone(null);
    try {
      await work(controller.signal);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const upload = (files: File[]) =>
    run(async (signal) => {
      for (const file of files) {
        setProgress({ stage: 'encrypt', done: 0, total: file.size });
        await cryptoWorker().call('uploadFile', { handle, file }, { signal, onProgress: setProgress });
        setDone(t('files.uploaded', { name: file.name }));
      }
      await onChanged();
    });

  const download = (fileId: string) =>
    run(async (signal) => {
      setProgress({ stage: 'download', done: 0 });
      const result = await cryptoWorker().call('downloadFile', { handle, fileId }, { signal, onProgress: setProgress });
      saveBlob(result.blob, result.name);
    });

  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">{t('files.title')}</h2>
      {view.files.length === 0 && view.damagedFiles === 0 ? (
        <p class="muted">{t('files.none')}</p>
      ) : (
        <ul class="file-list">
          {view.files.map((f) => (
            <li key={f.id}>
              <span dir="auto">{f.name}</span>{' '}
              <span class="muted">
                ({formatBytes(f.size)}, {f.author === 'staff' ? t('messages.fromStaff') : t('messages.fromYou')}, {formatDate(f.createdAt)})
              </span>
              <button type="button" class="link" disabled={progress !== null} aria-label={t('files.downloadNamed', { name: f.name })} onClick={() => download(f.id)}>
                {t('files.download')}
              </button>
            </li>
          ))}
          {view.damagedFiles > 0 && <li class="notice error">{t('files.damaged', { n: view.damagedFiles })}</li>}
        </ul>
      )}
      {view.status !== 'closed' && (
        <div class="field">
          <label for="case-file-input">{t('files.add')}</label>
          <p class="hint" id="case-file-hint">
            {t('attachments.metadata')}
          </p>
          <input
            id="case-file-input"
            type="file"
            multiple
            aria-describedby="case-file-hint"
            disabled={progress !== null}
            onChange={(e) => {
              // Copied first: clearing the input empties its live FileList.
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              void upload(files);
            }}
          />
        </div>
      )}
      {progress && <ProgressSteps stages={progress.stage === 'download' ? ['download'] : ['encrypt', 'upload']} current={progress} onCancel={() => abort.current?.abort()} />}
      <p role="status">{done ?? ''}</p>
      <ErrorBox error={error} />
    </section>
  );
}
