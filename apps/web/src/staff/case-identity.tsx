import { useState } from 'preact/hooks';
import type { OpenedIdentity, StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, formatList, t, type MessageKey } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextArea } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';

export const REQUEST_STATUS: Record<string, MessageKey> = {
  pending: 'identity.status.pending',
  approved: 'identity.status.approved',
  denied: 'identity.status.denied',
};

/**
 * The reporter's confidential identity: asked for with an encrypted reason, decided by a custodian,
 * and once re-sealed to this viewer, opened in the worker only when they choose to show it.
 */
export function CaseIdentity({ caseId, detail, onChanged }: { caseId: string; detail: StaffCaseDetail; onChanged: (d: StaffCaseDetail) => void }) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const [identity, setIdentity] = useState<OpenedIdentity | null>(null);
  const state = detail.identity;
  if (!state) return null;
  const me = detail.viewer?.userId;
  const myPending = state.requests.some((r) => r.requesterId === me && r.status === 'pending');

  const ask = async (e: Event) => {
    e.preventDefault();
    setSent(false);
    if (!reason.trim()) return setReasonError(t('identity.reasonMissing'));
    setReasonError(null);
    setBusy(true);
    setError(null);
    try {
      onChanged(await cryptoWorker().call('staffRequestIdentity', { caseId, reason: reason.trim() }));
      setReason('');
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const show = async () => {
    setError(null);
    try {
      setIdentity(await cryptoWorker().call('staffReadIdentity', { caseId }));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="identity-title" class="panel">
      <h2 id="identity-title">{t('identity.title')}</h2>
      <p>{t('identity.custodiansAre', { count: state.custodians.length, names: formatList(state.custodians) || '—' })}</p>
      {state.disclosedAt && <p class="muted">{t('identity.disclosedAt', { date: formatDate(state.disclosedAt, true) })}</p>}
      {state.readable ? (
        identity ? (
          <>
            {identity.problem && (
              <p class="notice warning" role="status">{t(identity.problem === 'unknown_version' ? 'identity.unknownVersion' : 'identity.malformed')}</p>
            )}
            <dl class="report-view" data-testid="reporter-identity">
              <div>
                <dt>{t('identity.reporterName')}</dt>
                <dd dir="auto">{identity.name}</dd>
              </div>
              <div>
                <dt>{t('identity.reporterContact')}</dt>
                <dd dir="auto">{identity.contact}</dd>
              </div>
            </dl>
          </>
        ) : (
          <div class="actions">
            <button type="button" class="secondary" onClick={show}>
              {t('identity.show')}
            </button>
          </div>
        )
      ) : (
        <p>{t('staff.identitySealed')}</p>
      )}
      {state.requests.length > 0 && (
        <>
          <h3>{t('identity.requestsTitle')}</h3>
          <ul class="requests">
            {state.requests.map((r) => (
              <li key={r.id}>
                <strong>{r.requesterName}</strong> · {formatDate(r.createdAt, true)} · {t(REQUEST_STATUS[r.status] ?? 'identity.status.pending')}
                {r.reason === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap" dir="auto">{r.reason}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {!state.readable && !myPending && (
        <form onSubmit={ask} noValidate>
          <TextArea id="identity-reason" label={t('identity.reason')} hint={t('identity.reasonHint')} value={reason} onValue={setReason} error={reasonError} rows={3} />
          <SubmitRow label={t('identity.ask')} disabled={busy} />
        </form>
      )}
      <p role="status">{sent ? t('identity.asked') : ''}</p>
      <ErrorBox error={error} />
    </section>
  );
}
