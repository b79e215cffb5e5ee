import { useEffect, useRef, useState } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { Checkbox } from '../ui/field';
import { ReceiptGroups, receiptGroups } from './receipt-groups';
import type { UploadOutcome } from './uploads';

export type Submitted = { receipt: string; reference: string; handle: string | null; uploads: UploadOutcome | null };

function receiptText(s: Submitted): string {
  return [
    t('receipt.fileHeading'),
    '',
    `${t('receipt.label')}: ${receiptGroups(s.receipt).join('-')}`,
    `${t('receipt.reference')}: ${s.reference}`,
    '',
    t('receipt.fileExplain'),
    `${location.origin}/follow-up`,
    '',
  ].join('\r\n');
}

/**
 * The receipt, shown once: the only way back to the case. Leaving needs an explicit
 * "I have saved it", and the browser warns before the tab is closed until then.
 */
export function ReceiptPage({ submitted, onDone }: { submitted: Submitted; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const download = useRef<HTMLAnchorElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (saved) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saved]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(receiptGroups(submitted.receipt).join('-'));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  // A Blob URL made on click and revoked right after: a download, not a navigation, so the CSP allows it.
  const saveFile = () => {
    const a = download.current;
    if (!a) return;
    const url = URL.createObjectURL(new Blob([receiptText(submitted)], { type: 'text/plain;charset=utf-8' }));
    a.href = url;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    a.removeAttribute('href');
  };

  const finish = async () => {
    if (submitted.handle) {
      try {
        await cryptoWorker().call('forget', { handle: submitted.handle });
      } catch {
        // The session also ends on its own.
      }
    }
    onDone();
  };

  const failed = submitted.uploads?.failed ?? [];
  return (
    <section class="receipt-page" aria-labelledby="receipt-title">
      <h1 id="receipt-title" ref={heading} tabIndex={-1}>
        {t('receipt.title')}
      </h1>
      <p class="notice success">{t('receipt.sent', { reference: submitted.reference })}</p>
      {submitted.uploads && submitted.uploads.done.length > 0 && <p>{t('receipt.filesSent', { n: submitted.uploads.done.length })}</p>}
      {failed.length > 0 && (
        <div class="notice warning" role="alert">
          <p>{t('receipt.filesFailed', { n: failed.length })}</p>
          <ul>
            {failed.map((f) => (
              <li key={f.name}>
                <span dir="auto">{f.name}</span>: {f.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      <div class="receipt-box">
        <h2>{t('receipt.label')}</h2>
        <ReceiptGroups receipt={submitted.receipt} />
        <p class="receipt-warning">{t('receipt.warning')}</p>
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
          {/* Hidden target of the download button; it gets an href only for the moment of the click. */}
          <a ref={download} class="hidden-download" download={`sauti-receipt-${submitted.reference}.txt`} aria-hidden="true" tabIndex={-1} />
        </div>
        <p role="status" class="no-print">
          {copied === 'yes' ? t('receipt.copied') : copied === 'failed' ? t('receipt.copyFailed') : ''}
        </p>
      </div>

      <div class="no-print">
        <h2>{t('receipt.nextTitle')}</h2>
        <ul>
          <li>{t('receipt.next1')}</li>
          <li>{t('receipt.next2')}</li>
          <li>{t('receipt.next3')}</li>
        </ul>
        <Checkbox id="receipt-saved" checked={saved} onChecked={setSaved}>
          {t('receipt.saved')}
        </Checkbox>
        <div class="actions">
          <button type="button" class="primary" disabled={!saved} aria-describedby={saved ? undefined : 'finish-hint'} onClick={finish}>
            {t('receipt.finish')}
          </button>
        </div>
        {!saved && (
          <p class="hint" id="finish-hint">
            {t('receipt.finishHint')}
          </p>
        )}
      </div>
    </section>
  );
}
