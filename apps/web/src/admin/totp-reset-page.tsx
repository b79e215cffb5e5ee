import { useEffect, useState } from 'preact/hooks';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { BusyNote } from '../ui/progress';
import { TotpField, TotpSetup } from '../staff/totp-setup';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { isTotpCode, useKeyForm } from '../ui/use-key-form';
import type { TotpResetInfo } from '../crypto/protocol';

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
  const form = useKeyForm();
  const [loadError, setLoadError] = useState<unknown>(null);
  const error = loadError ?? form.error;
  const [finished, setFinished] = useState(false);

  useEffect(() => {
    if (!token) return setUnusable(true);
    cryptoWorker()
      .call('totpResetStart', { token })
      .then(setInfo)
      .catch((e: unknown) => (e instanceof CryptoCallError && e.error.code === 'not_found' ? setUnusable(true) : setLoadError(e)));
  }, [token]);
  useEffect(() => heading.current?.focus(), [info, unusable, finished]);

  const submit = form.submit({
    check: () => {
      const problems: { password?: string; totp?: string } = {};
      if (!password) problems.password = t('admin.totp.passwordMissing');
      if (!isTotpCode(totp)) problems.totp = t('admin.totp.codeFormat');
      setFieldErrors(problems);
      return !problems.password && !problems.totp;
    },
    first: { stage: 'argon2' },
    run: (onProgress) => cryptoWorker().call('totpResetComplete', { token, password, totp }, { onProgress }),
    done: () => {
      setPassword('');
      // The link is spent: take its token out of the address bar and the history entry.
      history.replaceState(null, '', '/staff');
      setFinished(true);
    },
    refused: (e) => {
      if (e.status === 403) setFieldErrors({ password: t('admin.totp.passwordWrong') });
      else if (e.status === 400) setFieldErrors({ totp: t('admin.totp.codeWrong') });
      else if (e.code === 'not_found') setUnusable(true);
      else return false;
      return true;
    },
  });

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
          <TotpSetup uri={info.otpauthUri} secret={info.totpSecret} steps={['admin.totp.step1', 'admin.totp.step2', 'admin.totp.step3']} link="admin.totp.link" />
          <TextField id="totp-reset-password" label={t('admin.totp.password')} type="password" autoComplete="current-password" value={password} onValue={setPassword}
            required error={fieldErrors.password} />
          <TotpField id="totp-reset-code" label={t('admin.totp.code')} hint={null} value={totp} onValue={setTotp} error={fieldErrors.totp} />
          <SubmitRow label={t('admin.totp.submit')} busy={form.busy && <BusyNote label={t('admin.totp.checking')} />} />
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
