import { useState } from 'preact/hooks';
import type { ReporterCaseView } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextArea } from '../ui/field';

const MAX_MESSAGE = 20_000;

export function CaseMessages({ handle, view, onView }: { handle: string; view: ReporterCaseView; onView: (v: ReporterCaseView) => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);

  const send = async (e: Event) => {
    e.preventDefault();
    setSent(false);
    setError(null);
    if (!text.trim()) return setFieldError(t('messages.empty'));
    if (text.length > MAX_MESSAGE) return setFieldError(t('messages.tooLong', { n: MAX_MESSAGE }));
    setFieldError(null);
    setSending(true);
    try {
      onView(await cryptoWorker().call('sendMessage', { handle, text: text.trim() }));
      setText('');
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{t('messages.title')}</h2>
      {view.messages.length === 0 ? (
        <p class="muted">{t('messages.none')}</p>
      ) : (
        <ol class="messages">
          {view.messages.map((m) => (
            <li key={m.id} class={`message ${m.author}`}>
              <p class="message-meta">
                <strong>{m.author === 'staff' ? t('messages.fromStaff') : t('messages.fromYou')}</strong> · {formatDate(m.createdAt, true)}
              </p>
              {m.text === null ? <p class="notice error">{t('messages.undecryptable')}</p> : <p class="prewrap message-text" dir="auto">{m.text}</p>}
            </li>
          ))}
        </ol>
      )}
      {view.status === 'closed' ? (
        <p class="muted">{t('messages.closed')}</p>
      ) : (
        <form onSubmit={send} noValidate>
          <TextArea id="message-text" label={t('messages.write')} hint={t('messages.writeHint')} value={text} onValue={setText} error={fieldError} rows={4} />
          <div class="actions">
            <button type="submit" class="primary" disabled={sending}>
              {sending ? t('messages.sending') : t('messages.send')}
            </button>
          </div>
          <p role="status">{sent ? t('messages.sent') : ''}</p>
        </form>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
