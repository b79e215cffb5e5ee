import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { Progress, StaffUser } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { ProgressSteps } from '../ui/progress';

export function StaffLogin({ onSignedIn, heading }: { onSignedIn: (u: StaffUser) => void; heading: Ref<HTMLHeadingElement> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setMissing(!email.trim() || !password || !/^\d{6}$/.test(totp.replace(/\s/g, '')));
    if (!email.trim() || !password || !/^\d{6}$/.test(totp.replace(/\s/g, ''))) return;
    setProgress({ stage: 'argon2' });
    try {
      const user = await cryptoWorker().call('staffLogin', { email, password, totp }, { onProgress: setProgress });
      setPassword('');
      onSignedIn(user);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <section aria-labelledby="staff-login-title" class="narrow">
      <h1 id="staff-login-title" ref={heading} tabIndex={-1}>
        {t('staff.loginTitle')}
      </h1>
      <p>{t('staff.loginIntro')}</p>
      <form onSubmit={submit} noValidate>
        <TextField id="staff-email" label={t('staff.email')} type="email" autoComplete="username" value={email} onValue={setEmail} required />
        <TextField id="staff-password" label={t('staff.password')} type="password" autoComplete="current-password" value={password} onValue={setPassword} required />
        <TextField
          id="staff-totp"
          label={t('staff.totp')}
          hint={t('staff.totpHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={totp}
          onValue={setTotp}
          required
        />
        {missing && (
          <p class="field-error" role="alert">
            {t('staff.loginMissing')}
          </p>
        )}
        {progress ? (
          <ProgressSteps stages={['argon2', 'open']} current={progress} labels={{ argon2: 'progress.staffKeys', open: 'progress.staffSignIn' }} />
        ) : (
          <div class="actions">
            <button type="submit" class="primary">
              {t('staff.signIn')}
            </button>
          </div>
        )}
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
