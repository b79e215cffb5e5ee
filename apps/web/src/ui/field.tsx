import type { ComponentChildren } from 'preact';

export type Common = {
  id: string; label: string; hint?: string; error?: string | null; required?: boolean;
  /** Operator text (not from the catalogues): isolated with <bdi> and marked with its language. */
  labelLang?: string; hintLang?: string;
};

/** Text isolated from the page's direction, with its language when known (operator texts). */
const isolated = (text: string, lang: string | undefined) => (lang === undefined ? text : <bdi lang={lang || undefined}>{text}</bdi>);

/** The attributes that tie a control to its label, hint and error. */
type Control = { id: string; required?: boolean; 'aria-invalid'?: 'true'; 'aria-describedby'?: string };

/**
 * A labelled field: the label (with * when required), its hint and error under it, then the control,
 * which `children` draws from the attributes that tie it to them.
 */
export function Field(props: Common & { children: (control: Control) => ComponentChildren }) {
  const { id, label, hint, error, required, labelLang, hintLang } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${error ? 'invalid' : ''}`}>
      <label for={id}>
        {isolated(label, labelLang)}
        {required && <span class="required-mark"> *</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {isolated(hint, hintLang)}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {props.children({ id, required, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}

export function TextField(props: Common & { value: string; onValue: (v: string) => void; type?: 'text' | 'email' | 'password'; autoComplete?: string; inputMode?: 'text' | 'email' | 'numeric'; spellcheck?: boolean; class?: string }) {
  return (
    <Field {...props}>
      {(control) => (
        <input
          {...control}
          class={props.class}
          // Preact types each input type separately; these three share every attribute used here.
          type={(props.type ?? 'text') as 'text'}
          value={props.value}
          autoComplete={props.autoComplete ?? 'off'}
          inputMode={props.inputMode}
          spellcheck={props.spellcheck ?? false}
          onInput={(e) => props.onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: Common & { value: string; onValue: (v: string) => void; rows?: number }) {
  return (
    <Field {...props}>
      {(control) => <textarea {...control} rows={props.rows ?? 5} value={props.value} onInput={(e) => props.onValue(e.currentTarget.value)} />}
    </Field>
  );
}

export function SelectField(props: Common & { value: string; onValue: (v: string) => void; options: { value: string; label: string }[]; placeholder: string }) {
  return (
    <Field {...props}>
      {(control) => (
        <select {...control} value={props.value} onChange={(e) => props.onValue(e.currentTarget.value)}>
          <option value="">{props.placeholder}</option>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
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
