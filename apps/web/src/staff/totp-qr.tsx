import { create } from 'qrcode';
import { useMemo } from 'preact/hooks';
import { t } from '../i18n';

/**
 * The otpauth link as a QR code, drawn here as SVG from the code's modules: computed in this page
 * (never sent to a QR service), no inline style or script, so it stays inside the strict CSP.
 */
export function TotpQr({ uri }: { uri: string }) {
  const { size, path } = useMemo(() => {
    const { modules } = create(uri, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
    }
    return { size: modules.size + 8, path: d };
  }, [uri]);
  return (
    <svg class="totp-qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={t('totp.qrLabel')} data-testid="totp-qr" shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
