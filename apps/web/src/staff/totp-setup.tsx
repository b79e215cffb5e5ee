import { t, type MessageKey } from '../i18n';
import { TextField } from '../ui/field';
import { TotpQr } from './totp-qr';

/** The secret in groups of four, as authenticator apps ask for it when typed by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Setting up an authenticator: open the otpauth link, scan its QR code, or type the secret by hand, then give the
 * first code. Activation and an admin's authenticator reset word the steps their own way.
 */
export function TotpSetup(props: { uri: string; secret: string; steps: [MessageKey, MessageKey, MessageKey]; link: MessageKey; secretHint?: string }) {
  const [step1, step2, step3] = props.steps;
  return (
    <ol>
      <li>
        {t(step1)}{' '}
        <a href={props.uri} class="otpauth-link">
          {t(props.link)}
        </a>
        <p class="hint">{t('totp.qrHint')}</p>
        <TotpQr uri={props.uri} />
      </li>
      <li>
        {t(step2)}
        <p class="totp-secret" dir="ltr" translate={false} data-testid="totp-secret">
          {grouped(props.secret)}
        </p>
        {props.secretHint && <p class="hint">{props.secretHint}</p>}
      </li>
      <li>{t(step3)}</li>
    </ol>
  );
}

/** A six-digit code from the authenticator; numeric keyboard and one-time-code autofill. */
export function TotpField(props: { id: string; value: string; onValue: (v: string) => void; error?: string | null; label?: string; hint?: string | null }) {
  return (
    <TextField
      id={props.id}
      label={props.label ?? t('staff.totp')}
      hint={props.hint === null ? undefined : (props.hint ?? t('staff.totpHint'))}
      inputMode="numeric"
      autoComplete="one-time-code"
      value={props.value}
      onValue={props.onValue}
      error={props.error}
      required
    />
  );
}
