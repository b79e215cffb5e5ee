import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StaffAccountInfo } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { useKeyForm } from '../ui/use-key-form';
import { BusyNote } from '../ui/progress';
import { SubmitRow } from '../ui/submit-row';
import { NewPasswordFields, newPasswordErrors, type NewPassword } from './new-password';

/** When the session ends: at its hard limit, or earlier after the idle time without a request. */
function sessionEnd(info: StaffAccountInfo): { at: Date; idleAt: Date; minutes: number } {
  const idleAt = new Date(new Date(info.lastActivityAt).getTime() + info.idleTimeoutSeconds * 1000);
  const hard = info.expiresAt ? new Date(info.expiresAt) : idleAt;
  return { at: hard, idleAt: idleAt < hard ? idleAt : hard, minutes: Math.round(info.idleTimeoutSeconds / 60) };
}

function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState<NewPassword>({ password: '', confirm: '' });
  const [showErrors, setShowErrors] = useState(false);
  const [currentError, setCurrentError] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const form = useKeyForm();

  const submit = form.submit({
    check: () => {
      setShowErrors(true);
      setDone(null);
      const errors = newPasswordErrors(pw);
      const missingCurrent = current ? null : t('account.currentMissing');
      setCurrentError(missingCurrent);
      return !(missingCurrent || errors.password || errors.confirm);
    },
    first: { stage: 'argon2' },
    run: () => cryptoWorker().call('staffChangePassword', { current, next: pw.password }),
    done: (r) => {
      setCurrent('');
      setPw({ password: '', confirm: '' });
      setShowErrors(false);
      setDone(r.endedSessions);
    },
    refused: (e) => {
      if (e.status !== 403) return false;
      setCurrentError(t('account.currentWrong'));
      return true;
    },
  });

  return (
    <section aria-labelledby="password-title" class="panel">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <p>{t('account.passwordIntro')}</p>
      <form onSubmit={submit} noValidate>
        <TextField id="account-current" label={t('account.current')} type="password" autoComplete="current-password" value={current} onValue={setCurrent} error={currentError} required />
        <NewPasswordFields idPrefix="account" value={pw} onValue={setPw} showErrors={showErrors} />
        <SubmitRow label={t('account.changePassword')} busy={form.busy && <BusyNote label={t('account.rewrapping')} />} />
      </form>
      <p role="status">{done !== null ? t('account.passwordChanged', { n: done }) : ''}</p>
      <ErrorBox error={form.error} />
    </section>
  );
}

/** The signed-in person's account: who, until when, password change and sign-out. */
export function Account({ onSignOut, heading }: { onSignOut: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [info, setInfo] = useState<StaffAccountInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    cryptoWorker().call('staffAccount', null).then(setInfo, setError);
  }, []);
  const end = info ? sessionEnd(info) : null;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title" ref={heading} tabIndex={-1}>
        {t('account.title')}
      </h1>
      <ErrorBox error={error} />
      {!info && !error && <p role="status">{t('app.loading')}</p>}
      {info && end && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('account.name')}</dt>
              <dd>{info.displayName}</dd>
            </div>
            <div>
              <dt>{t('staff.email')}</dt>
              <dd>{info.email}</dd>
            </div>
            <div>
              <dt>{t('account.roles')}</dt>
              <dd>{info.roles.join(', ')}</dd>
            </div>
          </dl>
          <section aria-labelledby="session-title" class="panel">
            <h2 id="session-title">{t('account.sessionTitle')}</h2>
            <p data-testid="session-end">{t('account.sessionEnds', { at: formatDate(end.at, true) })}</p>
            <p>{t('account.sessionIdle', { minutes: end.minutes, at: formatDate(end.idleAt, true) })}</p>
            <p class="muted">{t('account.sessionReload')}</p>
            <div class="actions">
              <button type="button" class="secondary" onClick={onSignOut}>
                {t('staff.signOut')}
              </button>
            </div>
          </section>
          <PasswordChange />
          <section aria-labelledby="authenticator-title" class="panel">
            <h2 id="authenticator-title">{t('account.authenticatorTitle')}</h2>
            <p>{t('account.authenticatorLost')}</p>
            <p>{t('account.recoveryKeyNote')}</p>
          </section>
        </>
      )}
    </section>
  );
}
