import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CustodianRequest } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextArea } from '../ui/field';
import { REQUEST_STATUS } from './case-identity';

/**
 * A custodian's queue: each request's reason, opened with the custodian's own key. Approving
 * re-seals identityKey to the requester in this browser's worker; the server cannot do it.
 */
export function IdentityQueue({ heading }: { heading: Ref<HTMLHeadingElement> }) {
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const [items, setItems] = useState<CustodianRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    cryptoWorker()
      .call('staffIdentityQueue', { status })
      .then((r) => live && setItems(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [status, attempt]);

  // Approving discloses a reporter's identity: it is confirmed in a second step, with a reason.
  const [confirming, setConfirming] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  const decide = async (item: CustodianRequest, approve: boolean) => {
    if (approve && !reason.trim()) {
      setReasonError(t('custodian.approveReasonMissing'));
      requestAnimationFrame(() => document.getElementById(`approve-reason-${item.id}`)?.focus());
      return;
    }
    setBusy(item.id);
    setError(null);
    setDone(null);
    try {
      await cryptoWorker().call('staffDecideIdentity', { requestId: item.id, approve, reason: approve ? reason.trim() : undefined });
      setConfirming(null);
      setReason('');
      setReasonError(null);
      setDone(approve ? t('custodian.approved', { name: item.requesterName, reference: item.caseReference }) : t('custodian.denied', { name: item.requesterName, reference: item.caseReference }));
      setAttempt((a) => a + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title" ref={heading} tabIndex={-1}>
        {t('custodian.title')}
      </h1>
      <p>{t('custodian.intro')}</p>
      <div class="filters">
        <SelectField
          id="queue-status"
          label={t('inbox.status')}
          // "Pending" is the select's empty choice, so that it shows as the default.
          value={status === 'all' ? 'all' : ''}
          onValue={(v) => setStatus(v === 'all' ? 'all' : 'pending')}
          options={[{ value: 'all', label: t('custodian.all') }]}
          placeholder={t('identity.status.pending')}
        />
        <button type="button" class="secondary" onClick={() => setAttempt((a) => a + 1)}>
          {t('case.refresh')}
        </button>
      </div>
      <p role="status">{done ?? ''}</p>
      <ErrorBox error={error} />
      {items && (
        <>
          <p>{t('custodian.count', { n: items.length })}</p>
          <ul class="request-list">
            {items.map((r) => (
              <li key={r.id} class="panel">
                <h2>{t('custodian.requestHeading', { reference: r.caseReference })}</h2>
                <p>
                  {t('custodian.requestedBy', { name: r.requesterName, date: formatDate(r.createdAt, true) })} · {t(REQUEST_STATUS[r.status] ?? 'identity.status.pending')}
                </p>
                <h3>{t('custodian.reason')}</h3>
                {r.reason === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap" dir="auto">{r.reason}</p>}
                {r.status === 'pending' && confirming === r.id && (
                  <div class="panel confirm" role="group" aria-labelledby={`approve-title-${r.id}`}>
                    <h3 id={`approve-title-${r.id}`}>{t('custodian.confirmTitle', { reference: r.caseReference })}</h3>
                    <p class="notice warning">{t('custodian.confirmWarning', { name: r.requesterName })}</p>
                    <TextArea
                      id={`approve-reason-${r.id}`}
                      label={t('custodian.approveReason')}
                      hint={t('custodian.approveReasonHint')}
                      required
                      rows={3}
                      value={reason}
                      onValue={(v) => {
                        setReason(v);
                        setReasonError(null);
                      }}
                      error={reasonError}
                    />
                    <div class="actions">
                      <button type="button" class="primary" disabled={busy !== null} onClick={() => decide(r, true)}>
                        {t('custodian.confirmApprove')}
                      </button>
                      <button type="button" class="secondary" disabled={busy !== null} onClick={() => setConfirming(null)}>
                        {t('action.cancel')}
                      </button>
                    </div>
                  </div>
                )}
                {r.status === 'pending' && confirming !== r.id && (
                  <div class="actions">
                    <button
                      type="button"
                      class="primary"
                      disabled={busy !== null}
                      aria-label={t('custodian.approveNamed', { name: r.requesterName, reference: r.caseReference })}
                      onClick={() => {
                        setConfirming(r.id);
                        setReason('');
                        setReasonError(null);
                        requestAnimationFrame(() => document.getElementById(`approve-reason-${r.id}`)?.focus());
                      }}
                    >
                      {t('custodian.approve')}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy !== null}
                      aria-label={t('custodian.denyNamed', { name: r.requesterName, reference: r.caseReference })}
                      onClick={() => decide(r, false)}
                    >
                      {t('custodian.deny')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
