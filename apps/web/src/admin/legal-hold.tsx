import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { admin } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Legal hold by case id: a held case is never purged, whatever its context's retention. */
export function LegalHoldScreen() {
  const [caseId, setCaseId] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { problem, error, call } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);

  const change = async (hold: boolean) => {
    setDone(null);
    const id = caseId.trim().toLowerCase();
    if (!UUID.test(id)) return setFieldError(t('admin.hold.badId'));
    setFieldError(null);
    await call(() => admin('PUT', `/cases/${id}/legal-hold`, { hold }), () => setDone(t(hold ? 'admin.hold.placed' : 'admin.hold.lifted', { id })));
  };

  return (
    <form class="panel" noValidate onSubmit={(e) => e.preventDefault()} aria-labelledby="hold-title">
      <h2 id="hold-title">{t('admin.hold.title')}</h2>
      <p class="hint">{t('admin.hold.hint')}</p>
      <TextField id="hold-case" label={t('admin.hold.caseId')} hint={t('admin.hold.caseIdHint')} value={caseId} onValue={setCaseId} error={fieldError} class="code-input" />
      <div class="actions">
        <button type="button" class="primary" onClick={() => void change(true)}>
          {t('admin.hold.place')}
        </button>
        <button type="button" class="secondary" onClick={() => void change(false)}>
          {t('admin.hold.lift')}
        </button>
      </div>
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <Done text={done} />
    </form>
  );
}
