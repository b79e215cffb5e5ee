import { useEffect, useRef } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { KeepSecretActions, SavedGate } from '../ui/keep-secret';
import { ReceiptGroups, receiptGroups } from './receipt-groups';
import type { UploadOutcome } from './uploads';

export type Submitted = {
  receipt: string; reference: string; handle: string | null; uploads: UploadOutcome | null;
  /** The context's own deadlines (GET /intake), not a fixed "7 days / 3 months". */
  acknowledgeDays: number; feedbackDays: number;
};

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
export function ReceiptPage({ submitted, onDone, onBehalf = false }: { submitted: Submitted; onDone: () => void; onBehalf?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

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

      {onBehalf && <p class="notice info">{t('onBehalf.readOut')}</p>}
      <div class="receipt-box">
        <h2>{t('receipt.label')}</h2>
        <ReceiptGroups receipt={submitted.receipt} />
        <p class="receipt-warning">{t('receipt.warning')}</p>
        <KeepSecretActions
          copyText={receiptGroups(submitted.receipt).join('-')}
          fileText={() => receiptText(submitted)}
          fileName={`sauti-receipt-${submitted.reference}.txt`}
          copiedMessage="receipt.copied"
        />
      </div>

      <div class="no-print">
        <h2>{t('receipt.nextTitle')}</h2>
        <ul>
          <li>{t('receipt.next1', { days: submitted.acknowledgeDays })}</li>
          <li>{t('receipt.next2', { days: submitted.feedbackDays })}</li>
          <li>{t('receipt.next3')}</li>
        </ul>
        <SavedGate id="receipt-saved" confirm="receipt.saved" button="receipt.finish" hint="receipt.finishHint" hintId="finish-hint" onDone={() => void finish()} />
      </div>
    </section>
  );
}
