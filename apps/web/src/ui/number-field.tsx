import { Field } from './field';

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

/** A whole number kept within bounds as it is typed (surveys, stations): NumberField with a number value. */
export function NumberInput(props: { id: string; label: string; value: number; min: number; max: number; onValue: (n: number) => void }) {
  return (
    <NumberField
      id={props.id}
      label={props.label}
      value={String(props.value)}
      min={props.min}
      max={props.max}
      onValue={(v) => {
        const n = Number(v);
        if (v.trim() !== '' && Number.isInteger(n)) props.onValue(Math.min(props.max, Math.max(props.min, n)));
      }}
    />
  );
}
