import { useState } from 'preact/hooks';
import { formatDate, t } from '../i18n';
import { ErrorBox } from './error-box';
import { TextArea } from './field';
import { SubmitRow } from './submit-row';

export type ThreadItem = { id: string; class: string; who: string; createdAt: string; text: string | null };

/** Messages or notes, oldest first; one that cannot be decrypted says so in its place. */
export function Thread({ items, empty }: { items: ThreadItem[]; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ol class="messages">
      {items.map((m) => (
        <li key={m.id} class={`message ${m.class}`}>
          <p class="message-meta">
            <strong>{m.who}</strong> · {formatDate(m.createdAt, true)}
          </p>
          {m.text === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap message-text" dir="auto">{m.text}</p>}
        </li>
      ))}
    </ol>
  );
}

/** A small form that sends one text through the worker; the caller shows what comes back. */
export function TextForm(props: {
  id: string;
  label: string;
  hint: string;
  button: string;
  /** The button's text while sending, when it changes. */
  busyButton?: string;
  done: string;
  rows: number;
  max?: number;
  send: (text: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSent(false);
    setError(null);
    if (!text.trim()) return setFieldError(t('messages.empty'));
    if (props.max !== undefined && text.length > props.max) return setFieldError(t('messages.tooLong', { n: props.max }));
    setFieldError(null);
    setBusy(true);
    try {
      await props.send(text.trim());
      setText('');
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <TextArea id={props.id} label={props.label} hint={props.hint} value={text} onValue={setText} error={fieldError} rows={props.rows} />
      <SubmitRow label={busy && props.busyButton ? props.busyButton : props.button} disabled={busy} />
      <p role="status">{sent ? props.done : ''}</p>
      <ErrorBox error={error} />
    </form>
  );
}
