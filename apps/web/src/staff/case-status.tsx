import { useState } from 'preact/hooks';
import type { StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t, type MessageKey } from '../i18n';
import { statusName } from '../reporter/status-timeline';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextArea } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';

/** The fixed list of outcomes (packages/core OUTCOMES), in that order. */
const OUTCOMES: Record<string, MessageKey> = {
  substantiated: 'outcome.substantiated',
  partly_substantiated: 'monitoring.outcome.partly_substantiated',
  unsubstantiated: 'outcome.unsubstantiated',
  referred_prosecution: 'monitoring.outcome.referred_prosecution',
  referred: 'outcome.referred',
  not_actionable: 'outcome.not_actionable',
  withdrawn: 'monitoring.outcome.withdrawn',
};

/**
 * Where a case can move from each status (packages/core lifecycle.ts): never back to "received",
 * since the reporter was told it was acknowledged. Reopening is offered; the server still asks for a supervisor.
 */
const NEXT: Record<string, string[]> = {
  received: ['acknowledged'],
  acknowledged: ['in_progress', 'closed'],
  in_progress: ['closed'],
  closed: ['in_progress'],
};

/** " — Substantiated" after a status that closed the case with a known outcome, else nothing. */
export const outcomeSuffix = (outcome: string | null | undefined): string => (outcome && OUTCOMES[outcome] ? ` — ${t(OUTCOMES[outcome])}` : '');

/** The case's status history and the form that moves it on (closing asks for an outcome). */
export function CaseStatus({ caseId, detail, onChanged }: { caseId: string; detail: StaffCaseDetail; onChanged: (d: StaffCaseDetail) => void }) {
  const [to, setTo] = useState('');
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);

  const changeStatus = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      onChanged(await cryptoWorker().call('staffStatus', { caseId, to, outcome: to === 'closed' ? outcome || null : null, reason }));
      setTo('');
      setReason('');
      setOutcome('');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">{t('staff.statusTitle')}</h2>
      <ol class="status-history">
        {detail.statusHistory.map((h, i) => (
          <li key={i}>
            <strong>{statusName(h.status)}</strong> · {formatDate(h.at, true)}
            {outcomeSuffix(h.outcome)}
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
          options={(NEXT[detail.summary.status] ?? []).map((x) => ({ value: x, label: statusName(x) }))}
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
            hint={t('monitoring.outcomeVisible')}
          />
        )}
        <TextArea id="status-reason" label={t('staff.reason')} hint={t('staff.reasonHint')} value={reason} onValue={setReason} rows={2} />
        <SubmitRow label={t('staff.changeStatus')} disabled={!to} />
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
