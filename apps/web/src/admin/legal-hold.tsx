import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { admin } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** A case reference as people quote it ("sa 7k3q 9xmf" is "SA-7K3Q-9XMF"), or a case id. */
const REFERENCE = /^[A-Z0-9]{2,8}(-[A-Z0-9]{2,12}){1,4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const normalised = (typed: string): string => {
  const s = typed.trim();
  return UUID.test(s.toLowerCase()) ? s.toLowerCase() : s.toUpperCase().replace(/\s+/g, '-');
};

/** Legal hold by the case reference people see: a held case is never purged, whatever its context's retention. */
export function LegalHoldScreen() {
  const [reference, setReference] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { problem, error, call } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);

  const change = async (hold: boolean) => {
    setDone(null);
    const ref = normalised(reference);
    if (!REFERENCE.test(ref) && !UUID.test(ref)) return setFieldError(t('admin.hold.badId'));
    setFieldError(null);
    await call(
      () => admin('PUT', `/cases/${encodeURIComponent(ref)}/legal-hold`, { hold }).then((o) => {
        // The one refusal a person can act on here: said next to the field, in their language.
        if (!o.ok && o.problem.status === 404) setFieldError(t('admin.hold.notFound', { id: ref }));
        return o;
      }),
      () => setDone(t(hold ? 'admin.hold.placed' : 'admin.hold.lifted', { id: ref })),
    );
  };

  return (
    <form class="panel" noValidate onSubmit={(e) => e.preventDefault()} aria-labelledby="hold-title">
      <h2 id="hold-title">{t('admin.hold.title')}</h2>
      <p class="hint">{t('admin.hold.hint')}</p>
      <TextField id="hold-case" label={t('admin.hold.caseId')} hint={t('admin.hold.caseIdHint')} value={reference} onValue={setReference} error={fieldError} class="code-input" required />
      <div class="actions">
        <button type="button" class="primary" onClick={() => void change(true)}>
          {t('admin.hold.place')}
        </button>
        <button type="button" class="secondary" onClick={() => void change(false)}>
          {t('admin.hold.lift')}
        </button>
      </div>
      {problem && problem.status !== 404 && <ProblemBox problem={problem} />}
      <ErrorBox error={error} />
      <Done text={done} />
    </form>
  );
}
