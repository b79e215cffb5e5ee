import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { Progress } from '../crypto/protocol';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { BusyNote } from './busy-note';
import { NewPasswordFields, newPasswordErrors, type NewPassword } from './new-password';

/**
 * A forgotten password: the recovery key opens the private key in the worker, which proves it to
 * the server and re-wraps the key under a new password. Every session of the account ends.
 */
export function Recovery({ onBack, heading }: { onBack: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [email, setEmail] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [totp, setTotp] = useState('');
  const [pw, setPw] = useState<NewPassword>({ password: '', confirm: '' });
  const [showErrors, setShowErrors] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const missing = {
    email: !email.trim() ? t('recovery.emailMissing') : null,
    key: !recoveryKey.trim() ? t('recovery.keyMissing') : null,
    totp: !/^\d{6}$/.test(totp.replace(/\s/g, '')) ? t('activation.codeFormat') : null,
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setShowErrors(true);
    const pwErrors = newPasswordErrors(pw);
    if (missing.email || missing.key || missing.totp || pwErrors.password || pwErrors.confirm) return;
    setError(null);
    setRefusal(null);
    setProgress({ stage: 'open' });
    try {
      await cryptoWorker().call('staffRecover', { email, recoveryKey, totp, password: pw.password }, { onProgress: setProgress });
      setRecoveryKey('');
      setPw({ password: '', confirm: '' });
      setDone(true);
    } catch (err) {
      const code = err instanceof CryptoCallError ? err.error.code : null;
      if (code === 'decrypt_failed') setRefusal(t('recovery.wrongKey'));
      else if (code === 'unauthenticated') setRefusal(t('recovery.refused'));
      else setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <section aria-labelledby="recovery-title" class="narrow">
      <h1 id="recovery-title" ref={heading} tabIndex={-1}>
        {t('recovery.title')}
      </h1>
      {done ? (
        <>
          <p class="notice success" role="status">
            {t('recovery.done')}
          </p>
          <div class="actions">
            <button type="button" class="primary" onClick={onBack}>
              {t('recovery.toSignIn')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('recovery.intro')}</p>
          <form onSubmit={submit} noValidate>
            <TextField id="recovery-email" label={t('staff.email')} type="email" autoComplete="username" value={email} onValue={setEmail} error={showErrors ? missing.email : null} required />
            <TextField
              id="recovery-key"
              label={t('recoveryKey.label')}
              hint={t('recovery.keyHint')}
              value={recoveryKey}
              onValue={setRecoveryKey}
              error={showErrors ? missing.key : null}
              class="receipt-input"
              required
            />
            <TextField
              id="recovery-totp"
              label={t('staff.totp')}
              hint={t('staff.totpHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              value={totp}
              onValue={setTotp}
              error={showErrors ? missing.totp : null}
              required
            />
            <NewPasswordFields idPrefix="recovery" value={pw} onValue={setPw} showErrors={showErrors} />
            {refusal && (
              <p class="notice error" role="alert">
                {refusal}
              </p>
            )}
            {progress ? (
              <BusyNote label={progress.stage === 'argon2' ? t('recovery.rewrapping') : t('recovery.opening')} />
            ) : (
              <div class="actions">
                <button type="submit" class="primary">
                  {t('recovery.submit')}
                </button>
                <button type="button" class="secondary" onClick={onBack}>
                  {t('recovery.toSignIn')}
                </button>
              </div>
            )}
          </form>
          <ErrorBox error={error} />
        </>
      )}
    </section>
  );
}
