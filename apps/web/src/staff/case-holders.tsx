import { useState } from 'preact/hooks';
import type { StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { CaseSharing } from './case-sharing';

/** Who holds the case's key: sharing it further, and stepping away from the case oneself. */
export function CaseHolders(props: { caseId: string; detail: StaffCaseDetail; onChanged: (d: StaffCaseDetail) => void; onRecused: () => void }) {
  const [confirmRecuse, setConfirmRecuse] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const recuse = async () => {
    // Two steps rather than window.confirm: the question stays on the page, in the page's language.
    if (!confirmRecuse) return setConfirmRecuse(true);
    try {
      await cryptoWorker().call('staffRecuse', { caseId: props.caseId });
      props.onRecused();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="holders-title">
      <h2 id="holders-title">{t('staff.holders')}</h2>
      <CaseSharing caseId={props.caseId} detail={props.detail} onChanged={props.onChanged} />
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
      <ErrorBox error={error} />
    </section>
  );
}
