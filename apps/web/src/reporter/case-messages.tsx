import type { ReporterCaseView } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { OlderMessagesButton, useOlderMessages } from '../ui/older-messages';
import { TextForm, Thread } from '../ui/thread';

const MAX_MESSAGE = 20_000;

export function CaseMessages({ handle, view, onView }: { handle: string; view: ReporterCaseView; onView: (v: ReporterCaseView) => void }) {
  const pages = useOlderMessages(view.messages, view.olderMessages, (before) => cryptoWorker().call('olderMessages', { handle, before }));
  const items = pages.messages.map((m) => ({
    id: m.id,
    class: m.author,
    who: m.author === 'staff' ? t('messages.fromStaff') : t('messages.fromYou'),
    createdAt: m.createdAt,
    text: m.text,
  }));
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title" tabIndex={-1}>{t('messages.title')}</h2>
      <OlderMessagesButton pages={pages} />
      <Thread items={items} empty={t('messages.none')} />
      {view.status === 'closed' ? (
        <p class="muted">{t('messages.closed')}</p>
      ) : (
        <TextForm
          id="message-text"
          label={t('messages.write')}
          hint={t('messages.writeHint')}
          button={t('messages.send')}
          busyButton={t('messages.sending')}
          done={t('messages.sent')}
          rows={4}
          max={MAX_MESSAGE}
          send={async (text) => onView(await cryptoWorker().call('sendMessage', { handle, text }))}
        />
      )}
    </section>
  );
}
