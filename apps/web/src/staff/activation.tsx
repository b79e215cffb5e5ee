import { useEffect, useState } from 'preact/hooks';
import type { ActivationInfo, Progress } from '../crypto/protocol';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { BusyNote } from './busy-note';
import { NewPasswordFields, newPasswordErrors, type NewPassword } from './new-password';
import { RecoveryKeyPage } from './recovery-key-page';

type Step = 'loading' | 'unusable' | 'password' | 'totp' | 'key';

/** The secret in groups of four, as authenticator apps ask for it when typed by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * "/staff/activate#<token>" from the invitation e-mail: choose a password (keys are made in the
 * worker, PROTOCOL.md §3), set up the authenticator with a first code, then save the recovery key.
 */
export function Activation({ onFinished, heading }: { onFinished: () => void; heading: { current: HTMLHeadingElement | null } }) {
  const token = location.hash.replace(/^#/, '');
  const [step, setStep] = useState<Step>('loading');
  const [info, setInfo] = useState<ActivationInfo | null>(null);
  const [pw, setPw] = useState<NewPassword>({ password: '', confirm: '' });
  const [showErrors, setShowErrors] = useState(false);
  const [totp, setTotp] = useState('');
  const [totpError, setTotpError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ email: string; recoveryKey: string } | null>(null);

  useEffect(() => {
    if (!token) return setStep('unusable');
    cryptoWorker()
      .call('staffActivationStart', { token })
      .then((i) => {
        setInfo(i);
        setStep('password');
      })
      .catch((e: unknown) => {
        if (e instanceof CryptoCallError && e.error.code === 'not_found') setStep('unusable');
        else setError(e);
      });
  }, [token]);
  useEffect(() => {
    if (step !== 'loading') heading.current?.focus();
  }, [step]);

  const choosePassword = async (e: Event) => {
    e.preventDefault();
    setShowErrors(true);
    const problems = newPasswordErrors(pw);
    if (problems.password || problems.confirm) return;
    setError(null);
    setProgress({ stage: 'argon2' });
    try {
      await cryptoWorker().call('staffActivationKeys', { token, password: pw.password }, { onProgress: setProgress });
      // The worker holds the keys made from it; the page forgets the password.
      setPw({ password: '', confirm: '' });
      setShowErrors(false);
      setStep('totp');
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  const activate = async (e: Event) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(totp.replace(/\s/g, ''))) return setTotpError(t('activation.codeFormat'));
    setTotpError(null);
    setError(null);
    setProgress({ stage: 'send' });
    try {
      setDone(await cryptoWorker().call('staffActivate', { token, totp }, { onProgress: setProgress }));
      setStep('key');
    } catch (err) {
      if (err instanceof CryptoCallError && err.error.status === 400) setTotpError(t('activation.codeWrong'));
      else setError(err);
    } finally {
      setProgress(null);
    }
  };

  if (step === 'key' && done) {
    return (
      <RecoveryKeyPage
        recoveryKey={done.recoveryKey}
        email={done.email}
        heading={heading}
        onDone={() => {
          // The link is spent: take its token out of the address bar and the history entry.
          history.replaceState(null, '', '/staff');
          onFinished();
        }}
      />
    );
  }

  return (
    <section aria-labelledby="activation-title" class="narrow">
      <h1 id="activation-title" ref={heading} tabIndex={-1}>
        {step === 'totp' ? t('activation.totpTitle') : t('activation.title')}
      </h1>
      {step === 'loading' && !error && <p role="status">{t('app.loading')}</p>}
      {step === 'unusable' && (
        <div class="notice error" role="alert">
          <p>{t('activation.unusable')}</p>
        </div>
      )}
      {step === 'password' && info && (
        <form onSubmit={choosePassword} noValidate>
          <p>{t('activation.welcome', { name: info.displayName, email: info.email })}</p>
          <p class="muted">{t('activation.expires', { date: formatDate(info.expiresAt, true) })}</p>
          <p>{t('activation.passwordIntro')}</p>
          <NewPasswordFields idPrefix="activation" value={pw} onValue={setPw} showErrors={showErrors} />
          {progress ? (
            <BusyNote label={t('activation.makingKeys')} />
          ) : (
            <div class="actions">
              <button type="submit" class="primary">
                {t('action.next')}
              </button>
            </div>
          )}
        </form>
      )}
      {step === 'totp' && info && (
        <form onSubmit={activate} noValidate>
          <p>{t('activation.totpIntro')}</p>
          <ol>
            <li>
              {t('activation.totpStep1')}{' '}
              <a href={info.otpauthUri} class="otpauth-link">
                {t('activation.totpLink')}
              </a>
            </li>
            <li>
              {t('activation.totpStep2')}
              <p class="totp-secret" dir="ltr" translate={false} data-testid="totp-secret">
                {grouped(info.totpSecret)}
              </p>
              <p class="hint">{t('activation.totpSecretHint', { email: info.email })}</p>
            </li>
            <li>{t('activation.totpStep3')}</li>
          </ol>
          <TextField
            id="activation-totp"
            label={t('staff.totp')}
            hint={t('staff.totpHint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={totp}
            onValue={setTotp}
            error={totpError}
            required
          />
          {progress ? (
            <BusyNote label={t('activation.sending')} />
          ) : (
            <div class="actions">
              <button type="submit" class="primary">
                {t('activation.activate')}
              </button>
            </div>
          )}
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
