import { useEffect, useState } from 'preact/hooks';
import type { Colleague, StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';

/**
 * The people who hold the case's keys, and giving them to a colleague: the worker re-seals
 * caseKey‖staffKey to the colleague's public key. "Make them the assignee" is reassignment.
 */
export function CaseSharing({ caseId, detail, onChanged }: { caseId: string; detail: StaffCaseDetail; onChanged: (d: StaffCaseDetail) => void }) {
  const [colleagues, setColleagues] = useState<Colleague[] | null>(null);
  const [recipient, setRecipient] = useState('');
  const [assign, setAssign] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    cryptoWorker().call('staffDirectory', null).then(setColleagues, setError);
  }, []);

  const viewer = detail.viewer;
  const holding = new Set(detail.holders.map((h) => h.userId));
  // The reporter's exclusions hold for grants too: the page never offers an excluded person.
  const excluded = new Set(detail.excludedRecipientIds ?? []);
  const candidates = (colleagues ?? []).filter((c) => c.canHandleCases && !holding.has(c.id) && !excluded.has(c.id));
  const mayRevoke = (grantedBy: string | null | undefined) => !!viewer && (viewer.roles.includes('supervisor') || grantedBy === viewer.userId);

  const run = async (work: () => Promise<StaffCaseDetail>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      onChanged(await work());
      setDone(message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const grant = async (e: Event) => {
    e.preventDefault();
    if (!recipient) return setFieldError(t('sharing.chooseColleague'));
    setFieldError(null);
    const name = candidates.find((c) => c.id === recipient)?.displayName ?? '';
    await run(() => cryptoWorker().call('staffGrant', { caseId, recipientId: recipient, assign }), assign ? t('sharing.grantedAssigned', { name }) : t('sharing.granted', { name }));
    setRecipient('');
    setAssign(false);
  };

  return (
    <>
      <ul class="holders">
        {detail.holders.map((h) => (
          <li key={h.userId}>
            <span>{h.displayName}</span>
            {h.userId === detail.summary.assigneeId && <span class="badge assignee">{t('sharing.assignee')}</span>}
            {h.userId === viewer?.userId && <span class="muted"> ({t('sharing.you')})</span>}
            {h.userId !== viewer?.userId && mayRevoke(h.grantedBy) && (
              <button
                type="button"
                class="link"
                disabled={busy}
                aria-label={t('sharing.revokeNamed', { name: h.displayName })}
                onClick={() => run(() => cryptoWorker().call('staffRevoke', { caseId, userId: h.userId }), t('sharing.revoked', { name: h.displayName }))}
              >
                {t('sharing.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={grant} noValidate class="grant-form">
        <h3>{t('sharing.grantTitle')}</h3>
        <p class="hint">{t('sharing.grantIntro')}</p>
        <SelectField
          id="grant-recipient"
          label={t('sharing.colleague')}
          value={recipient}
          onValue={setRecipient}
          options={candidates.map((c) => ({ value: c.id, label: c.unitName ? `${c.displayName} — ${c.unitName}` : c.displayName }))}
          placeholder={colleagues === null ? t('app.loading') : candidates.length === 0 ? t('sharing.nobody') : t('details.choose')}
          error={fieldError}
        />
        <Checkbox id="grant-assign" checked={assign} onChecked={setAssign} hint={t('sharing.assignHint')}>
          {t('sharing.assign')}
        </Checkbox>
        <SubmitRow label={t('sharing.grant')} disabled={busy || candidates.length === 0} />
      </form>
      <p role="status">{done ?? ''}</p>
      <ErrorBox error={error} />
    </>
  );
}
