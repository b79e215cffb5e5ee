/** A whole-number input with its label, hint and error tied to it (the shared fields are text only). */
export function NumberField(props: { id: string; label: string; value: string; onValue: (v: string) => void; min: number; max: number; hint?: string; error?: string | null }) {
  const { id, hint, error } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${error ? 'invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        value={props.value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </div>
  );
}

/** "" stays null (no value); anything else goes to the server as typed, which says what is wrong with it. */
export const numberOrNull = (v: string): number | null => (v.trim() === '' ? null : Number(v));
