import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StaffCaseFilters, StaffCaseSummary } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { statusName } from '../reporter/status-timeline';
import { DataTable } from '../ui/data-table';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField } from '../ui/field';
import { assigneeText, channelName, PriorityCell } from './case-facts';
import { countdown } from './countdown';

const STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'];

/** The due date with the time left (or overdue) under it. */
function dueCell(c: StaffCaseSummary) {
  const due = c.dueAt ? countdown(c.dueAt) : null;
  if (!c.dueAt || !due) return '—';
  return (
    <>
      {formatDate(c.dueAt)}
      <br />
      <span class={due.overdue ? 'overdue-text' : 'muted'}>{due.text}</span>
    </>
  );
}

/** The cases the person holds; the filters come from the address (staff-route.ts) and go back to it. */
export function Inbox({ filters, onFilters, onOpen, heading }: {
  filters: StaffCaseFilters; onFilters: (f: StaffCaseFilters) => void; onOpen: (caseId: string) => void; heading: Ref<HTMLHeadingElement>;
}) {
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
  }, [filters.status, filters.assignee, filters.sort, filters.overdue, filters.page, attempt]);

  const set = (patch: Partial<StaffCaseFilters>) => onFilters({ ...filters, ...patch, page: 1 });

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
            <DataTable
              caption={t('inbox.title')}
              rows={result.items}
              rowClass={(c) => (c.overdue ? 'overdue' : '')}
              columns={[
                {
                  header: t('inbox.reference'),
                  cell: (c) => (
                    <button type="button" class="link" onClick={() => onOpen(c.id)}>
                      {c.reference}
                    </button>
                  ),
                },
                { header: t('inbox.status'), cell: (c) => statusName(c.status) },
                { header: t('inbox.priority'), cell: (c) => <PriorityCell c={c} /> },
                { header: t('inbox.category'), cell: (c) => c.categoryName ?? c.categoryId, dir: 'auto' },
                { header: t('inbox.region'), cell: (c) => c.regionName ?? c.regionId ?? '—', dir: 'auto' },
                { header: t('inbox.channel'), cell: (c) => channelName(c.channel) },
                { header: t('inbox.assignee'), cell: assigneeText, dir: 'auto' },
                { header: t('inbox.received'), cell: (c) => formatDate(c.receivedAt) },
                { header: t('inbox.due'), cell: dueCell },
                { header: t('inbox.unread'), cell: (c) => (c.unreadMessages > 0 ? t('inbox.unreadCount', { n: c.unreadMessages }) : '—') },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
