import type { ComponentChildren } from 'preact';

type Common = { id: string; label: string; hint?: string; error?: string | null; required?: boolean };

const describedBy = (id: string, hint?: string, error?: string | null): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Help({ id, hint, error }: { id: string; hint?: string; error?: string | null }) {
  return (
    <>
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
    </>
  );
}

export function TextField(props: Common & { value: string; onValue: (v: string) => void; type?: 'text' | 'email' | 'password'; autoComplete?: string; inputMode?: 'text' | 'email' | 'numeric'; spellcheck?: boolean; class?: string }) {
  const { id, label, hint, error, required, value, onValue } = props;
  return (
    <div class={`field ${error ? 'invalid' : ''}`}>
      <label for={id}>
        {label}
        {required && <span class="required-mark"> *</span>}
      </label>
      <Help id={id} hint={hint} error={error} />
      <input
        id={id}
        class={props.class}
        // Preact types each input type separately; these three share every attribute used here.
        type={(props.type ?? 'text') as 'text'}
        value={value}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        spellcheck={props.spellcheck ?? false}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </div>
  );
}

export function TextArea(props: Common & { value: string; onValue: (v: string) => void; rows?: number }) {
  const { id, label, hint, error, required, value, onValue } = props;
  return (
    <div class={`field ${error ? 'invalid' : ''}`}>
      <label for={id}>
        {label}
        {required && <span class="required-mark"> *</span>}
      </label>
      <Help id={id} hint={hint} error={error} />
      <textarea
        id={id}
        rows={props.rows ?? 5}
        value={value}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </div>
  );
}

export function SelectField(props: Common & { value: string; onValue: (v: string) => void; options: { value: string; label: string }[]; placeholder: string }) {
  const { id, label, hint, error, required, value, onValue } = props;
  return (
    <div class={`field ${error ? 'invalid' : ''}`}>
      <label for={id}>
        {label}
        {required && <span class="required-mark"> *</span>}
      </label>
      <Help id={id} hint={hint} error={error} />
      <select
        id={id}
        value={value}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.currentTarget.value)}
      >
        <option value="">{props.placeholder}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(props: { id: string; checked: boolean; onChecked: (v: boolean) => void; disabled?: boolean; children: ComponentChildren; hint?: string }) {
  return (
    <div class="check">
      <input
        type="checkbox"
        id={props.id}
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onChange={(e) => props.onChecked(e.currentTarget.checked)}
      />
      <label for={props.id}>{props.children}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** Listed at the top of a step when "Next" finds problems; each links to its field. */
export function ErrorSummary({ title, errors }: { title: string; errors: { id: string; message: string }[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h3>{title}</h3>
      <ul>
        {errors.map((e) => (
          <li key={e.id}>
            <a
              href={`#${e.id}`}
              onClick={(ev) => {
                // Focus the field without touching the URL: the wizard leaves no history trail.
                ev.preventDefault();
                document.getElementById(e.id)?.focus();
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
