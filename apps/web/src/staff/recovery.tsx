import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { isTotpCode, useKeyForm } from '../ui/use-key-form';
import { BusyNote } from '../ui/progress';
import { SubmitRow } from '../ui/submit-row';
import { TotpField } from './totp-setup';
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
  const form = useKeyForm();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const missing = {
    email: !email.trim() ? t('recovery.emailMissing') : null,
    key: !recoveryKey.trim() ? t('recovery.keyMissing') : null,
    totp: !isTotpCode(totp) ? t('activation.codeFormat') : null,
  };

  const submit = form.submit({
    check: () => {
      setShowErrors(true);
      const pwErrors = newPasswordErrors(pw);
      return !(missing.email || missing.key || missing.totp || pwErrors.password || pwErrors.confirm);
    },
    first: { stage: 'open' },
    run: (onProgress) => {
      setRefusal(null);
      return cryptoWorker().call('staffRecover', { email, recoveryKey, totp, password: pw.password }, { onProgress });
    },
    done: () => {
      setRecoveryKey('');
      setPw({ password: '', confirm: '' });
      setDone(true);
    },
    refused: (e) => {
      const refusal = e.code === 'decrypt_failed' ? t('recovery.wrongKey') : e.code === 'unauthenticated' ? t('recovery.refused') : null;
      setRefusal(refusal);
      return refusal !== null;
    },
  });

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
            <TotpField id="recovery-totp" value={totp} onValue={setTotp} error={showErrors ? missing.totp : null} />
            <NewPasswordFields idPrefix="recovery" value={pw} onValue={setPw} showErrors={showErrors} />
            {refusal && (
              <p class="notice error" role="alert">
                {refusal}
              </p>
            )}
            <SubmitRow label={t('recovery.submit')} busy={form.progress && <BusyNote label={form.progress.stage === 'argon2' ? t('recovery.rewrapping') : t('recovery.opening')} />}>
              <button type="button" class="secondary" onClick={onBack}>
                {t('recovery.toSignIn')}
              </button>
            </SubmitRow>
          </form>
          <ErrorBox error={form.error} />
        </>
      )}
    </section>
  );
}
