import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { StaffUser } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { ProgressSteps } from '../ui/progress';
import { SubmitRow } from '../ui/submit-row';
import { isTotpCode, useKeyForm } from '../ui/use-key-form';
import { TotpField } from './totp-setup';

export function StaffLogin({ onSignedIn, heading }: { onSignedIn: (u: StaffUser) => void; heading: Ref<HTMLHeadingElement> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [missing, setMissing] = useState(false);
  const form = useKeyForm();

  const submit = form.submit({
    check: () => {
      form.setError(null);
      const incomplete = !email.trim() || !password || !isTotpCode(totp);
      setMissing(incomplete);
      return !incomplete;
    },
    first: { stage: 'argon2' },
    run: (onProgress) => cryptoWorker().call('staffLogin', { email, password, totp }, { onProgress }),
    done: (user) => {
      setPassword('');
      onSignedIn(user);
    },
  });

  return (
    <section aria-labelledby="staff-login-title" class="narrow">
      <h1 id="staff-login-title" ref={heading} tabIndex={-1}>
        {t('staff.loginTitle')}
      </h1>
      <p>{t('staff.loginIntro')}</p>
      <form onSubmit={submit} noValidate>
        <TextField id="staff-email" label={t('staff.email')} type="email" autoComplete="username" value={email} onValue={setEmail} required />
        <TextField id="staff-password" label={t('staff.password')} type="password" autoComplete="current-password" value={password} onValue={setPassword} required />
        <TotpField id="staff-totp" value={totp} onValue={setTotp} />
        {missing && (
          <p class="field-error" role="alert">
            {t('staff.loginMissing')}
          </p>
        )}
        <SubmitRow label={t('staff.signIn')} busy={form.progress && <ProgressSteps stages={['argon2', 'open']} current={form.progress} labels={{ argon2: 'progress.staffKeys', open: 'progress.staffSignIn' }} />} />
      </form>
      <ErrorBox error={form.error} />
    </section>
  );
}
