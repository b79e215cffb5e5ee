import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StaffCaseFilters, StaffCaseSummary } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { statusName } from '../reporter/status-timeline';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField } from '../ui/field';
import { countdown } from './countdown';

const STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'];

export function Inbox({ onOpen, heading }: { onOpen: (caseId: string) => void; heading: Ref<HTMLHeadingElement> }) {
  const [filters, setFilters] = useState<StaffCaseFilters>({ sort: 'priority' });
  const [result, setResult] = useState<{ total: number; items: StaffCaseSummary[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    cryptoWorker()
      .call('staffCases', filters)
      .then((r) => live && setResult(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [filters, attempt]);

  const set = (patch: Partial<StaffCaseFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title" ref={heading} tabIndex={-1}>
        {t('inbox.title')}
      </h1>
      <div class="filters" role="group" aria-label={t('inbox.filters')}>
        <SelectField
          id="filter-status"
          label={t('inbox.status')}
          value={filters.status ?? ''}
          onValue={(v) => set({ status: v || undefined })}
          options={STATUSES.map((s) => ({ value: s, label: statusName(s) }))}
          placeholder={t('inbox.any')}
        />
        <SelectField
          id="filter-assignee"
          label={t('inbox.assignee')}
          value={filters.assignee ?? ''}
          onValue={(v) => set({ assignee: v || undefined })}
          options={[
            { value: 'me', label: t('inbox.assigneeMe') },
            { value: 'none', label: t('inbox.assigneeNone') },
          ]}
          placeholder={t('inbox.any')}
        />
        <SelectField
          id="filter-sort"
          label={t('inbox.sort')}
          value={filters.sort ?? 'priority'}
          onValue={(v) => set({ sort: v || 'priority' })}
          options={[
            { value: 'priority', label: t('inbox.sortPriority') },
            { value: 'due', label: t('inbox.sortDue') },
            { value: 'received', label: t('inbox.sortReceived') },
          ]}
          placeholder={t('inbox.sortPriority')}
        />
        <Checkbox id="filter-overdue" checked={filters.overdue === true} onChecked={(v) => set({ overdue: v || undefined })}>
          {t('inbox.overdueOnly')}
        </Checkbox>
        <button type="button" class="secondary" onClick={() => setAttempt((a) => a + 1)}>
          {t('case.refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {result && (
        <>
          <p role="status">{t('inbox.count', { n: result.total })}</p>
          {result.items.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t('inbox.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('inbox.reference')}</th>
                    <th scope="col">{t('inbox.status')}</th>
                    <th scope="col">{t('inbox.priority')}</th>
                    <th scope="col">{t('inbox.received')}</th>
                    <th scope="col">{t('inbox.due')}</th>
                    <th scope="col">{t('inbox.unread')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((c) => {
                    const due = c.dueAt ? countdown(c.dueAt) : null;
                    return (
                      <tr key={c.id} class={c.overdue ? 'overdue' : ''}>
                        <td>
                          <button type="button" class="link" onClick={() => onOpen(c.id)}>
                            {c.reference}
                          </button>
                        </td>
                        <td>{statusName(c.status)}</td>
                        <td>{c.urgent ? <span class="badge urgent">{t('inbox.urgent')}</span> : t('inbox.normal')}</td>
                        <td>{formatDate(c.receivedAt)}</td>
                        <td>
                          {c.dueAt && due ? (
                            <>
                              {formatDate(c.dueAt)}
                              <br />
                              <span class={due.overdue ? 'overdue-text' : 'muted'}>{due.text}</span>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>{c.unreadMessages > 0 ? t('inbox.unreadCount', { n: c.unreadMessages }) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
