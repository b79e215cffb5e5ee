import type { Ref } from 'preact';
import { t } from '../i18n';
import { KeepSecretActions, SavedGate } from '../ui/keep-secret';

/**
 * The recovery key, shown once: the only way back after a forgotten password. Like the reporter's
 * receipt, leaving needs "I have saved it", and the browser warns before the tab closes until then.
 */
export function RecoveryKeyPage({ recoveryKey, email, onDone, heading }: { recoveryKey: string; email: string; onDone: () => void; heading: Ref<HTMLHeadingElement> }) {
  const groups = recoveryKey.split('-');
  const fileText = () =>
    [t('recoveryKey.fileHeading'), '', `${t('staff.email')}: ${email}`, `${t('recoveryKey.label')}: ${recoveryKey}`, '', t('recoveryKey.fileExplain'), `${location.origin}/staff`, ''].join('\r\n');

  return (
    <section aria-labelledby="recovery-key-title">
      <h1 id="recovery-key-title" ref={heading} tabIndex={-1}>
        {t('recoveryKey.title')}
      </h1>
      <p class="notice success">{t('activation.done', { email })}</p>
      <div class="receipt-box">
        <h2>{t('recoveryKey.label')}</h2>
        <p class="recovery-key" dir="ltr" translate={false} data-testid="recovery-key">
          {groups.map((g, i) => (
            <span key={i} class="receipt-group">
              {g}
              {i < groups.length - 1 && <span aria-hidden="true">-</span>}
            </span>
          ))}
        </p>
        <p class="receipt-warning">{t('recoveryKey.warning')}</p>
        <KeepSecretActions copyText={recoveryKey} fileText={fileText} fileName="sauti-recovery-key.txt" copiedMessage="recoveryKey.copied" />
      </div>
      <div class="no-print">
        <SavedGate id="recovery-key-saved" confirm="recoveryKey.saved" button="activation.toSignIn" hint="recoveryKey.finishHint" hintId="recovery-finish-hint" onDone={onDone} />
      </div>
    </section>
  );
}
