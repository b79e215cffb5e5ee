import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { Checkbox } from '../ui/field';
import './staff-screens.css';

/**
 * The recovery key, shown once: the only way back after a forgotten password. Like the reporter's
 * receipt, leaving needs "I have saved it", and the browser warns before the tab closes until then.
 */
export function RecoveryKeyPage({ recoveryKey, email, onDone, heading }: { recoveryKey: string; email: string; onDone: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const download = useRef<HTMLAnchorElement>(null);
  const groups = recoveryKey.split('-');

  useEffect(() => {
    if (saved) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saved]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  // A Blob URL made on click and revoked right after: a download, not a navigation.
  const saveFile = () => {
    const a = download.current;
    if (!a) return;
    const text = [t('recoveryKey.fileHeading'), '', `${t('staff.email')}: ${email}`, `${t('recoveryKey.label')}: ${recoveryKey}`, '', t('recoveryKey.fileExplain'), `${location.origin}/staff`, ''].join('\r\n');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    a.href = url;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    a.removeAttribute('href');
  };

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
        <div class="actions no-print">
          <button type="button" class="secondary" onClick={copy}>
            {t('receipt.copy')}
          </button>
          <button type="button" class="secondary" onClick={saveFile}>
            {t('receipt.download')}
          </button>
          <button type="button" class="secondary" onClick={() => window.print()}>
            {t('receipt.print')}
          </button>
          <a ref={download} class="hidden-download" download="sauti-recovery-key.txt" aria-hidden="true" tabIndex={-1} />
        </div>
        <p role="status" class="no-print">
          {copied === 'yes' ? t('recoveryKey.copied') : copied === 'failed' ? t('receipt.copyFailed') : ''}
        </p>
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
