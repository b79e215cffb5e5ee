import { Field } from '../ui/field';

/** A whole-number input with its label, hint and error tied to it. */
export function NumberField(props: { id: string; label: string; value: string; onValue: (v: string) => void; min: number; max: number; hint?: string; error?: string | null }) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={props.min}
          max={props.max}
          step={1}
          value={props.value}
          onInput={(e) => props.onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** "" stays null (no value); anything else goes to the server as typed, which says what is wrong with it. */
export const numberOrNull = (v: string): number | null => (v.trim() === '' ? null : Number(v));
