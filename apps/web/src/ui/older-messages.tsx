import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from './error-box';

type Paged = { id: string; createdAt: string };
export type OlderPage<M> = { messages: M[]; older: string | null };

/**
 * Message lists come in pages (issue 11): the case view carries the newest one. This keeps every
 * message this screen has seen — older pages loaded with the button and each newer view — so that a
 * reply, which moves the newest page on, leaves no gap, and offers the next older page while there is one.
 */
export function useOlderMessages<M extends Paged>(latest: M[], olderOfLatest: string | null, load: (before: string) => Promise<OlderPage<M>>) {
  const [seen, setSeen] = useState<M[]>([]);
  // The cursor of the oldest page seen; the first view's until older pages are loaded.
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setSeen((prev) => merge(prev, latest)), [latest]);
  const next = cursor === undefined ? olderOfLatest : cursor;
  const loadOlder = async () => {
    if (!next) return;
    setBusy(true);
    setError(null);
    try {
      const page = await load(next);
      setSeen((prev) => merge(page.messages, prev));
      setCursor(page.older);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { messages: merge(seen, latest), hasOlder: next !== null, busy, error, loadOlder };
}

/** Union by id, oldest first (created_at, then id: the server's order). */
function merge<M extends Paged>(a: M[], b: M[]): M[] {
  const byId = new Map<string, M>();
  for (const m of [...a, ...b]) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The button above a thread that fetches the page before what it shows. */
export function OlderMessagesButton({ pages }: { pages: { hasOlder: boolean; busy: boolean; error: unknown; loadOlder: () => Promise<void> } }) {
  if (!pages.hasOlder && !pages.error) return null;
  return (
    <div class="older-messages">
      {pages.hasOlder && (
        <button type="button" class="secondary" aria-busy={pages.busy} disabled={pages.busy} onClick={() => void pages.loadOlder()}>
          {pages.busy ? t('messages.loadingOlder') : t('messages.older')}
        </button>
      )}
      {pages.error !== null && <ErrorBox error={pages.error} />}
    </div>
  );
}
