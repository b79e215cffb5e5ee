import { useEffect, useState } from 'preact/hooks';
import type { Progress } from '../crypto/protocol';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { BusyNote } from '../staff/busy-note';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import type { TotpResetInfo } from './admin-protocol';

const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * "/staff/totp-reset#<token>" from the e-mail an admin's reset sends: the person keeps password and
 * keys, sets up the authenticator again and proves both with the password and a first code.
 */
export function TotpResetPage({ onFinished, heading }: { onFinished: () => void; heading: { current: HTMLHeadingElement | null } }) {
  const token = location.hash.replace(/^#/, '');
  const [info, setInfo] = useState<TotpResetInfo | null>(null);
  const [unusable, setUnusable] = useState(false);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; totp?: string }>({});
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [finished, setFinished] = useState(false);

  useEffect(() => {
    if (!token) return setUnusable(true);
    cryptoWorker()
      .call('totpResetStart', { token })
      .then(setInfo)
      .catch((e: unknown) => (e instanceof CryptoCallError && e.error.code === 'not_found' ? setUnusable(true) : setError(e)));
  }, [token]);
  useEffect(() => heading.current?.focus(), [info, unusable, finished]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: { password?: string; totp?: string } = {};
    if (!password) problems.password = t('admin.totp.passwordMissing');
    if (!/^\d{6}$/.test(totp.replace(/\s/g, ''))) problems.totp = t('admin.totp.codeFormat');
    setFieldErrors(problems);
    if (problems.password || problems.totp) return;
    setError(null);
    setProgress({ stage: 'argon2' });
    try {
      await cryptoWorker().call('totpResetComplete', { token, password, totp }, { onProgress: setProgress });
      setPassword('');
      // The link is spent: take its token out of the address bar and the history entry.
      history.replaceState(null, '', '/staff');
      setFinished(true);
    } catch (err) {
      const status = err instanceof CryptoCallError ? err.error.status : undefined;
      if (status === 403) setFieldErrors({ password: t('admin.totp.passwordWrong') });
      else if (status === 400) setFieldErrors({ totp: t('admin.totp.codeWrong') });
      else if (err instanceof CryptoCallError && err.error.code === 'not_found') setUnusable(true);
      else setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <section aria-labelledby="totp-reset-title" class="narrow">
      <h1 id="totp-reset-title" ref={heading} tabIndex={-1}>
        {t('admin.totp.title')}
      </h1>
      {!info && !unusable && !error && <p role="status">{t('admin.loading')}</p>}
      {unusable && (
        <div class="notice error" role="alert">
          <p>{t('admin.totp.unusable')}</p>
        </div>
      )}
      {finished && (
        <div class="notice success" role="status">
          <p>{t('admin.totp.done')}</p>
          <button type="button" class="primary" onClick={onFinished}>
            {t('admin.totp.toSignIn')}
          </button>
        </div>
      )}
      {info && !finished && !unusable && (
        <form onSubmit={submit} noValidate>
          <p>{t('admin.totp.intro', { name: info.displayName, email: info.email })}</p>
          <p class="muted">{t('admin.totp.expires', { date: formatDate(info.expiresAt, true) })}</p>
          <ol>
            <li>
              {t('admin.totp.step1')}{' '}
              <a href={info.otpauthUri}>{t('admin.totp.link')}</a>
            </li>
            <li>
              {t('admin.totp.step2')}
              <p class="totp-secret" dir="ltr">
                {grouped(info.totpSecret)}
              </p>
            </li>
            <li>{t('admin.totp.step3')}</li>
          </ol>
          <TextField id="totp-reset-password" label={t('admin.totp.password')} type="password" autoComplete="current-password" value={password} onValue={setPassword}
            required error={fieldErrors.password} />
          <TextField id="totp-reset-code" label={t('admin.totp.code')} inputMode="numeric" autoComplete="one-time-code" value={totp} onValue={setTotp} required
            error={fieldErrors.totp} />
          {progress ? (
            <BusyNote label={t('admin.totp.checking')} />
          ) : (
            <div class="actions">
              <button type="submit" class="primary">
                {t('admin.totp.submit')}
              </button>
            </div>
          )}
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
