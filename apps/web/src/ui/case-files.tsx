import { useRef, useState } from 'preact/hooks';
import type { CaseFile, Progress } from '../crypto/protocol';
import { formatBytes, formatDate, formatList, t } from '../i18n';
import { ErrorBox } from './error-box';
import { FilePreview, previewable } from './file-preview';
import { ProgressSteps } from './progress';
import { saveBlob } from './save-blob';

type Transfer = { signal: AbortSignal; onProgress: (p: Progress) => void };

/**
 * A case's files, for the reporter and for staff alike: the list with a download button each, the
 * damaged ones counted, and an input whose chosen files are listed (each removable) until "Send"
 * encrypts and uploads them with a cancellable progress: nothing leaves on choosing alone.
 * The worker calls and the author wording are the side's own.
 */
export function CaseFiles(props: {
  /** The heading's id and the file input's id (its hint is `${inputId}-hint`). */
  titleId: string;
  inputId: string;
  files: CaseFile[];
  damagedFiles: number;
  /** How a reporter's file is credited ("you" for the reporter, "the reporter" for staff). */
  reporterLabel: string;
  /** A hint under the input, when the side has one. */
  hint?: string;
  canAdd: boolean;
  download: (fileId: string, transfer: Transfer) => Promise<{ blob: Blob; name: string }>;
  upload: (file: File, transfer: Transfer) => Promise<void>;
  /** After every chosen file is uploaded. */
  afterUpload?: () => Promise<void>;
  /**
   * Staff: images and PDFs open in the page from memory, and a download (which leaves a decrypted
   * copy on the computer) is a second, deliberate step after a warning.
   */
  preview?: boolean;
}) {
  const [shown, setShown] = useState<{ blob: Blob; type: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState<File[]>([]);
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

  const choose = (chosen: File[]) => {
    const known = new Set(pending.map((f) => `${f.name}/${f.size}/${f.lastModified}`));
    setPending([...pending, ...chosen.filter((f) => !known.has(`${f.name}/${f.size}/${f.lastModified}`))]);
    setDone(null);
  };

  const upload = (files: File[]) =>
    run(async (signal) => {
      for (const file of files) {
        setProgress({ stage: 'encrypt', done: 0, total: file.size });
        await props.upload(file, { signal, onProgress: setProgress });
        // Sent: off the list, so a failure later in the batch leaves only the unsent ones.
        setPending((list) => list.filter((f) => f !== file));
        setDone(t('files.uploaded', { name: file.name }));
      }
      await props.afterUpload?.();
    });

  const download = (fileId: string) =>
    run(async (signal) => {
      setConfirming(null);
      setProgress({ stage: 'download', done: 0 });
      const result = await props.download(fileId, { signal, onProgress: setProgress });
      saveBlob(result.blob, result.name);
    });

  const open = (f: CaseFile) =>
    run(async (signal) => {
      setShown(null);
      setProgress({ stage: 'download', done: 0 });
      const result = await props.download(f.id, { signal, onProgress: setProgress });
      setShown({ blob: result.blob, type: f.type, name: f.name });
    });

  const hintId = `${props.inputId}-hint`;
  return (
    <section aria-labelledby={props.titleId}>
      <h2 id={props.titleId}>{t('files.title')}</h2>
      {props.files.length === 0 && props.damagedFiles === 0 ? (
        <p class="muted">{t('files.none')}</p>
      ) : (
        <ul class="file-list">
          {props.files.map((f) => (
            <li key={f.id}>
              <bdi>{f.name}</bdi>{' '}
              <span class="muted">— {formatList([formatBytes(f.size), f.author === 'staff' ? t('messages.fromStaff') : props.reporterLabel, formatDate(f.createdAt)], 'unit')}</span>
              {props.preview && previewable(f.type) && (
                <button type="button" class="link" disabled={progress !== null} aria-label={t('files.previewNamed', { name: f.name })} onClick={() => open(f)}>
                  {t('files.preview')}
                </button>
              )}
              <button type="button" class="link" disabled={progress !== null} aria-label={t('files.downloadNamed', { name: f.name })}
                aria-expanded={props.preview ? confirming === f.id : undefined} onClick={() => (props.preview ? setConfirming(f.id) : download(f.id))}>
                {t('files.download')}
              </button>
              {confirming === f.id && (
                <div class="notice warning" role="group" aria-label={t('files.downloadNamed', { name: f.name })}>
                  <p>{t('files.downloadWarning')}</p>
                  <div class="actions">
                    <button type="button" class="primary" onClick={() => download(f.id)}>
                      {t('files.downloadAnyway')}
                    </button>
                    <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                      {t('files.downloadCancel')}
                    </button>
                  </div>
                </div>
              )}
            </li>
          ))}
          {props.damagedFiles > 0 && <li class="notice error">{t('files.damaged', { n: props.damagedFiles })}</li>}
        </ul>
      )}
      {props.canAdd && (
        <div class="field">
          <label for={props.inputId}>{t('files.add')}</label>
          {props.hint && (
            <p class="hint" id={hintId}>
              {props.hint}
            </p>
          )}
          <input
            id={props.inputId}
            type="file"
            multiple
            aria-describedby={props.hint ? hintId : undefined}
            disabled={progress !== null}
            onChange={(e) => {
              // Copied first: clearing the input empties its live FileList.
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              choose(files);
            }}
          />
        </div>
      )}
      {props.canAdd && pending.length > 0 && (
        <div class="panel pending-files">
          <ul class="file-list" aria-label={t('attachments.chosen')}>
            {pending.map((f, i) => (
              <li key={`${f.name}-${f.size}-${f.lastModified}`}>
                <bdi>{f.name}</bdi> <span class="muted">— {formatBytes(f.size)}</span>
                <button
                  type="button"
                  class="link"
                  disabled={progress !== null}
                  aria-label={t('attachments.removeNamed', { name: f.name })}
                  onClick={() => setPending(pending.filter((_, j) => j !== i))}
                >
                  {t('action.remove')}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="primary" disabled={progress !== null} onClick={() => void upload(pending)}>
            {t('files.send', { n: pending.length })}
          </button>
        </div>
      )}
      {shown && <FilePreview blob={shown.blob} type={shown.type} name={shown.name} onClose={() => setShown(null)} />}
      {progress && <ProgressSteps stages={progress.stage === 'download' ? ['download'] : ['encrypt', 'upload']} current={progress} onCancel={() => abort.current?.abort()} />}
      <p role="status">{done ?? ''}</p>
      <ErrorBox error={error} />
    </section>
  );
}
