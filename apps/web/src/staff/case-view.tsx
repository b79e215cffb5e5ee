import type { Ref } from 'preact';
import { ReportView } from '../ui/report-view';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Progress, StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatBytes, formatDate, t, type MessageKey } from '../i18n';
import { saveBlob } from '../ui/save-blob';
import { statusName } from '../reporter/status-timeline';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextArea } from '../ui/field';
import { ProgressSteps } from '../ui/progress';
import { countdown } from './countdown';
import { CaseIdentity } from './case-identity';
import { CaseSharing } from './case-sharing';

const OUTCOMES: Record<string, MessageKey> = {
  substantiated: 'outcome.substantiated',
  unsubstantiated: 'outcome.unsubstantiated',
  referred: 'outcome.referred',
  not_actionable: 'outcome.not_actionable',
};

/** A small form that sends one text through the worker and shows the refreshed case. */
function TextForm(props: { id: string; label: string; hint: string; button: string; done: string; send: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSent(false);
    if (!text.trim()) return setFieldError(t('messages.empty'));
    setFieldError(null);
    setBusy(true);
    setError(null);
    try {
      await props.send(text.trim());
      setText('');
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <TextArea id={props.id} label={props.label} hint={props.hint} value={text} onValue={setText} error={fieldError} rows={3} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {props.button}
        </button>
      </div>
      <p role="status">{sent ? props.done : ''}</p>
      <ErrorBox error={error} />
    </form>
  );
}

export function StaffCase({ caseId, onBack, heading }: { caseId: string; onBack: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [detail, setDetail] = useState<StaffCaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [to, setTo] = useState('');
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [statusError, setStatusError] = useState<unknown>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [fileError, setFileError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const [confirmRecuse, setConfirmRecuse] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    cryptoWorker().call('staffCase', { caseId }).then(setDetail, setError);
  }, [caseId]);

  if (error) {
    return (
      <section>
        <ErrorBox error={error} />
        <button type="button" class="secondary" onClick={onBack}>
          {t('staff.backToInbox')}
        </button>
      </section>
    );
  }
  if (!detail) return <p role="status">{t('app.loading')}</p>;
  const s = detail.summary;
  const due = s.dueAt ? countdown(s.dueAt) : null;

  const changeStatus = async (e: Event) => {
    e.preventDefault();
    setStatusError(null);
    try {
      setDetail(await cryptoWorker().call('staffStatus', { caseId, to, outcome: to === 'closed' ? outcome || null : null, reason }));
      setTo('');
      setReason('');
      setOutcome('');
    } catch (err) {
      setStatusError(err);
    }
  };

  const withFiles = async (work: (signal: AbortSignal) => Promise<void>) => {
    const controller = new AbortController();
    abort.current = controller;
    setFileError(null);
    try {
      await work(controller.signal);
    } catch (err) {
      setFileError(err);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const exportCase = async () => {
    setExported(null);
    setExportError(null);
    setExporting(true);
    try {
      const r = await cryptoWorker().call('staffExport', { caseId });
      saveBlob(r.blob, r.name);
      setExported(r.name);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  const recuse = async () => {
    // Two steps rather than window.confirm: the question stays on the page, in the page's language.
    if (!confirmRecuse) return setConfirmRecuse(true);
    try {
      await cryptoWorker().call('staffRecuse', { caseId });
      onBack();
    } catch (err) {
      setStatusError(err);
    }
  };

  return (
    <section aria-labelledby="staff-case-title" class="case-view">
      <button type="button" class="link" onClick={onBack}>
        {t('staff.backToInbox')}
      </button>
      <h1 id="staff-case-title" ref={heading} tabIndex={-1}>
        {t('case.title', { reference: s.reference })}
      </h1>
      <dl class="facts">
        <div>
          <dt>{t('inbox.status')}</dt>
          <dd>
            {statusName(s.status)}
            {s.outcome && OUTCOMES[s.outcome] ? ` — ${t(OUTCOMES[s.outcome]!)}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('inbox.priority')}</dt>
          <dd>{s.urgent ? t('inbox.urgent') : t('inbox.normal')}</dd>
        </div>
        <div>
          <dt>{t('inbox.received')}</dt>
          <dd>{formatDate(s.receivedAt, true)}</dd>
        </div>
        <div>
          <dt>{t('inbox.due')}</dt>
          <dd class={due?.overdue ? 'overdue-text' : ''}>{s.dueAt && due ? `${formatDate(s.dueAt)} (${due.text})` : '—'}</dd>
        </div>
        <div>
          <dt>{t('staff.languageOfReporter')}</dt>
          <dd>{s.language}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" class="secondary" disabled={exporting} aria-describedby="case-export-hint" onClick={() => void exportCase()}>
          {t('staff.export')}
        </button>
      </div>
      <p class="hint" id="case-export-hint">
        {t('staff.exportHint')}
      </p>
      <p role="status">{exported ? t('staff.exported', { name: exported }) : ''}</p>
      <ErrorBox error={exportError} />

      <section aria-labelledby="report-title" class="panel">
        <h2 id="report-title">{t('staff.report')}</h2>
        <ReportView report={detail.report} />
        {detail.hasIdentity && !detail.identity && <p class="notice info">{t('staff.identitySealed')}</p>}
      </section>
      <CaseIdentity caseId={caseId} detail={detail} onChanged={setDetail} />

      <section aria-labelledby="dialogue-title">
        <h2 id="dialogue-title">{t('staff.dialogue')}</h2>
        {detail.messages.length === 0 ? (
          <p class="muted">{t('messages.none')}</p>
        ) : (
          <ol class="messages">
            {detail.messages.map((m) => (
              <li key={m.id} class={`message ${m.author === 'staff' ? 'reporter' : 'staff'}`}>
                <p class="message-meta">
                  <strong>{m.author === 'reporter' ? t('staff.reporter') : (m.authorName ?? t('messages.fromStaff'))}</strong> · {formatDate(m.createdAt, true)}
                </p>
                {m.text === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap message-text" dir="auto">{m.text}</p>}
              </li>
            ))}
          </ol>
        )}
        <TextForm
          id="staff-reply"
          label={t('staff.reply')}
          hint={t('staff.replyHint')}
          button={t('messages.send')}
          done={t('messages.sent')}
          send={async (text) => setDetail(await cryptoWorker().call('staffMessage', { caseId, text }))}
        />
      </section>

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('staff.notes')}</h2>
        {detail.notes.length === 0 ? (
          <p class="muted">{t('staff.noNotes')}</p>
        ) : (
          <ol class="messages">
            {detail.notes.map((n) => (
              <li key={n.id} class="message note">
                <p class="message-meta">
                  <strong>{n.authorName}</strong> · {formatDate(n.createdAt, true)}
                </p>
                {n.text === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap message-text" dir="auto">{n.text}</p>}
              </li>
            ))}
          </ol>
        )}
        <TextForm
          id="staff-note"
          label={t('staff.addNote')}
          hint={t('staff.noteHint')}
          button={t('staff.saveNote')}
          done={t('staff.noteSaved')}
          send={async (text) => setDetail(await cryptoWorker().call('staffNote', { caseId, text }))}
        />
      </section>

      <section aria-labelledby="status-title">
        <h2 id="status-title">{t('staff.statusTitle')}</h2>
        <ol class="status-history">
          {detail.statusHistory.map((h, i) => (
            <li key={i}>
              <strong>{statusName(h.status)}</strong> · {formatDate(h.at, true)}
              {h.outcome && OUTCOMES[h.outcome] ? ` — ${t(OUTCOMES[h.outcome]!)}` : ''}
              {h.reason && (
                <span class="prewrap" dir="auto">
                  {' '}
                  — {h.reason}
                </span>
              )}
            </li>
          ))}
        </ol>
        <form onSubmit={changeStatus} noValidate>
          <SelectField
            id="status-to"
            label={t('staff.newStatus')}
            value={to}
            onValue={setTo}
            options={['acknowledged', 'in_progress', 'closed', 'received'].filter((x) => x !== s.status).map((x) => ({ value: x, label: statusName(x) }))}
            placeholder={t('details.choose')}
          />
          {to === 'closed' && (
            <SelectField
              id="status-outcome"
              label={t('staff.outcome')}
              value={outcome}
              onValue={setOutcome}
              options={Object.entries(OUTCOMES).map(([value, key]) => ({ value, label: t(key) }))}
              placeholder={t('details.choose')}
            />
          )}
          <TextArea id="status-reason" label={t('staff.reason')} hint={t('staff.reasonHint')} value={reason} onValue={setReason} rows={2} />
          <div class="actions">
            <button type="submit" class="primary" disabled={!to}>
              {t('staff.changeStatus')}
            </button>
          </div>
        </form>
        <ErrorBox error={statusError} />
      </section>

      <section aria-labelledby="staff-files-title">
        <h2 id="staff-files-title">{t('files.title')}</h2>
        {detail.files.length === 0 ? (
          <p class="muted">{t('files.none')}</p>
        ) : (
          <ul class="file-list">
            {detail.files.map((f) => (
              <li key={f.id}>
                <span dir="auto">{f.name}</span>{' '}
                <span class="muted">
                  ({formatBytes(f.size)}, {f.author === 'staff' ? t('messages.fromStaff') : t('staff.reporter')}, {formatDate(f.createdAt)})
                </span>
                <button
                  type="button"
                  class="link"
                  disabled={progress !== null}
                  aria-label={t('files.downloadNamed', { name: f.name })}
                  onClick={() =>
                    withFiles(async (signal) => {
                      setProgress({ stage: 'download', done: 0 });
                      const r = await cryptoWorker().call('staffDownload', { caseId, fileId: f.id }, { signal, onProgress: setProgress });
                      saveBlob(r.blob, r.name);
                    })
                  }
                >
                  {t('files.download')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {detail.damagedFiles > 0 && <p class="notice error">{t('files.damaged', { n: detail.damagedFiles })}</p>}
        <div class="field">
          <label for="staff-file-input">{t('files.add')}</label>
          <input
            id="staff-file-input"
            type="file"
            multiple
            disabled={progress !== null}
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              void withFiles(async (signal) => {
                for (const file of files) setDetail(await cryptoWorker().call('staffUpload', { caseId, file }, { signal, onProgress: setProgress }));
              });
            }}
          />
        </div>
        {progress && <ProgressSteps stages={progress.stage === 'download' ? ['download'] : ['encrypt', 'upload']} current={progress} onCancel={() => abort.current?.abort()} />}
        <ErrorBox error={fileError} />
      </section>

      <section aria-labelledby="holders-title">
        <h2 id="holders-title">{t('staff.holders')}</h2>
        <CaseSharing caseId={caseId} detail={detail} onChanged={setDetail} />
        {confirmRecuse && <p class="notice warning">{t('staff.recuseConfirm')}</p>}
        <div class="actions">
          <button type="button" class="danger" onClick={recuse}>
            {confirmRecuse ? t('staff.recuseYes') : t('staff.recuse')}
          </button>
          {confirmRecuse && (
            <button type="button" class="secondary" onClick={() => setConfirmRecuse(false)}>
              {t('action.cancel')}
            </button>
          )}
        </div>
      </section>
    </section>
  );
}
