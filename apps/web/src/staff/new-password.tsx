import { t, type MessageKey } from '../i18n';
import { TextField } from '../ui/field';
import { MIN_PASSWORD_LENGTH, passwordStrength, type Strength } from './password-strength';

const STRENGTH: Record<Strength, MessageKey> = {
  tooShort: 'password.tooShort',
  weak: 'password.weak',
  fair: 'password.fair',
  strong: 'password.strong',
};

export type NewPassword = { password: string; confirm: string };

/** Problems to show next to each field once the person tries to continue. */
export function newPasswordErrors(p: NewPassword): { password: string | null; confirm: string | null } {
  return {
    password: passwordStrength(p.password) === 'tooShort' ? t('password.tooShortError', { n: MIN_PASSWORD_LENGTH }) : null,
    confirm: p.confirm !== p.password ? t('password.mismatch') : null,
  };
}

/** A new password typed twice, with a strength hint that updates as the person types. */
export function NewPasswordFields(props: {
  idPrefix: string;
  value: NewPassword;
  onValue: (v: NewPassword) => void;
  showErrors: boolean;
  label?: string;
}) {
  const { value, onValue, idPrefix } = props;
  const errors = props.showErrors ? newPasswordErrors(value) : { password: null, confirm: null };
  const strength = passwordStrength(value.password);
  return (
    <>
      <TextField
        id={`${idPrefix}-password`}
        label={props.label ?? t('password.new')}
        hint={t('password.hint', { n: MIN_PASSWORD_LENGTH })}
        type="password"
        autoComplete="new-password"
        value={value.password}
        onValue={(password) => onValue({ ...value, password })}
        error={errors.password}
        required
      />
      <p class={`strength strength-${strength}`} aria-live="polite" id={`${idPrefix}-strength`}>
        {value.password ? t(STRENGTH[strength]) : ''}
      </p>
      <TextField
        id={`${idPrefix}-confirm`}
        label={t('password.confirm')}
        type="password"
        autoComplete="new-password"
        value={value.confirm}
        onValue={(confirm) => onValue({ ...value, confirm })}
        error={errors.confirm}
        required
      />
    </>
  );
}
