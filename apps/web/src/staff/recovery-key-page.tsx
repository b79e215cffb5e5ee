import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { Checkbox } from '../ui/field';
import { KeepSecretActions, useWarnBeforeLeaving } from '../ui/keep-secret';
import './staff-screens.css';

/**
 * The recovery key, shown once: the only way back after a forgotten password. Like the reporter's
 * receipt, leaving needs "I have saved it", and the browser warns before the tab closes until then.
 */
export function RecoveryKeyPage({ recoveryKey, email, onDone, heading }: { recoveryKey: string; email: string; onDone: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [saved, setSaved] = useState(false);
  const groups = recoveryKey.split('-');
  useWarnBeforeLeaving(!saved);
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
        <Checkbox id="recovery-key-saved" checked={saved} onChecked={setSaved}>
          {t('recoveryKey.saved')}
        </Checkbox>
        <div class="actions">
          <button type="button" class="primary" disabled={!saved} aria-describedby={saved ? undefined : 'recovery-finish-hint'} onClick={onDone}>
            {t('activation.toSignIn')}
          </button>
        </div>
        {!saved && (
          <p class="hint" id="recovery-finish-hint">
            {t('recoveryKey.finishHint')}
          </p>
        )}
      </div>
    </section>
  );
}
