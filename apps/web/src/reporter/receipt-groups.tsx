import { t } from '../i18n';

export const receiptGroups = (receipt: string): string[] => receipt.replace(/[\s-]/g, '').match(/.{1,5}/g) ?? [];

/** Four groups of five, large and left-to-right in every language (it is a code, not text). */
export function ReceiptGroups({ receipt }: { receipt: string }) {
  return (
    <p class="receipt" dir="ltr" translate={false} data-testid="receipt">
      {receiptGroups(receipt).map((g, i) => (
        <span key={i} class="receipt-group" role="group" aria-label={t('receipt.group', { n: i + 1 })}>
          {g}
        </span>
      ))}
    </p>
  );
}
