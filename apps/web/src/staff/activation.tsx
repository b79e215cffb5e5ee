import { useEffect, useState } from 'preact/hooks';
import type { ActivationInfo } from '../crypto/protocol';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { isTotpCode, useKeyForm } from '../ui/use-key-form';
import { BusyNote } from '../ui/progress';
import { SubmitRow } from '../ui/submit-row';
import { NewPasswordFields, newPasswordErrors, type NewPassword } from './new-password';
import { RecoveryKeyPage } from './recovery-key-page';
import { TotpField, TotpSetup } from './totp-setup';

type Step = 'loading' | 'unusable' | 'password' | 'totp' | 'key';

/**
 * "/staff/activate#<token>" from the invitation e-mail: choose a password (keys are made in the
 * worker, docs/protocol.md §3), set up the authenticator with a first code, then save the recovery key.
 */
export function Activation({ onFinished, heading }: { onFinished: () => void; heading: { current: HTMLHeadingElement | null } }) {
  const token = location.hash.replace(/^#/, '');
  const [step, setStep] = useState<Step>('loading');
  const [info, setInfo] = useState<ActivationInfo | null>(null);
  const [pw, setPw] = useState<NewPassword>({ password: '', confirm: '' });
  const [showErrors, setShowErrors] = useState(false);
  const [totp, setTotp] = useState('');
  const [totpError, setTotpError] = useState<string | null>(null);
  const form = useKeyForm();
  const [loadError, setLoadError] = useState<unknown>(null);
  const error = loadError ?? form.error;
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
        else setLoadError(e);
      });
  }, [token]);
  useEffect(() => {
    if (step !== 'loading') heading.current?.focus();
  }, [step]);

  const choosePassword = form.submit({
    check: () => {
      setShowErrors(true);
      const problems = newPasswordErrors(pw);
      return !problems.password && !problems.confirm;
    },
    first: { stage: 'argon2' },
    run: (onProgress) => cryptoWorker().call('staffActivationKeys', { token, password: pw.password }, { onProgress }),
    done: () => {
      // The worker holds the keys made from it; the page forgets the password.
      setPw({ password: '', confirm: '' });
      setShowErrors(false);
      setStep('totp');
    },
  });

  const activate = form.submit({
    check: () => {
      setTotpError(isTotpCode(totp) ? null : t('activation.codeFormat'));
      return isTotpCode(totp);
    },
    first: { stage: 'send' },
    run: (onProgress) => cryptoWorker().call('staffActivate', { token, totp }, { onProgress }),
    done: (result) => {
      setDone(result);
      setStep('key');
    },
    refused: (e) => {
      if (e.status !== 400) return false;
      setTotpError(t('activation.codeWrong'));
      return true;
    },
  });

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
          <SubmitRow label={t('action.next')} busy={form.busy && <BusyNote label={t('activation.makingKeys')} />} />
        </form>
      )}
      {step === 'totp' && info && (
        <form onSubmit={activate} noValidate>
          <p>{t('activation.totpIntro')}</p>
          <TotpSetup
            uri={info.otpauthUri}
            secret={info.totpSecret}
            steps={['activation.totpStep1', 'activation.totpStep2', 'activation.totpStep3']}
            link="activation.totpLink"
            secretHint={t('activation.totpSecretHint', { email: info.email })}
          />
          <TotpField id="activation-totp" value={totp} onValue={setTotp} error={totpError} />
          <SubmitRow label={t('activation.activate')} busy={form.busy && <BusyNote label={t('activation.sending')} />} />
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
