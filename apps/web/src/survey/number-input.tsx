import { Field } from '../ui/field';

/** A whole number within bounds, labelled like every other field. */
export function NumberInput(props: { id: string; label: string; value: number; min: number; max: number; onValue: (n: number) => void }) {
  return (
    <Field id={props.id} label={props.label}>
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={props.min}
          max={props.max}
          value={props.value}
          onInput={(e) => {
            const n = Number(e.currentTarget.value);
            if (Number.isInteger(n)) props.onValue(Math.min(props.max, Math.max(props.min, n)));
          }}
        />
      )}
    </Field>
  );
}
