import { useEffect, useState } from 'preact/hooks';
import { formatDate, t, type MessageKey } from '../i18n';
import { DataTable } from '../ui/data-table';
import { ErrorBox } from '../ui/error-box';
import { admin, type Problem } from './admin-api';
import { Done, ProblemBox } from './problem-box';

type QueueRow = { name: string; counts: { waiting: number; active: number; delayed: number; failed: number; completed: number } };
type FailedJob = { id: string; name: string; attemptsMade: number; failedReason: string; failedAt: string | null };
type FailedNotification = { id: string; email: string; kind: string; attempts: number; lastError: string | null; failedAt: string };

const COUNTS = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const COUNT_LABEL: Record<(typeof COUNTS)[number], MessageKey> = {
  waiting: 'admin.queues.count.waiting', active: 'admin.queues.count.active', delayed: 'admin.queues.count.delayed',
  failed: 'admin.queues.count.failed', completed: 'admin.queues.count.completed',
};

/** What each queue does, in words (the raw name stays beside it for whoever reads the logs). */
const QUEUE_LABEL: Record<string, MessageKey> = {
  triage: 'admin.queues.name.triage', notify: 'admin.queues.name.notify', activity: 'admin.queues.name.activity',
  invite: 'admin.queues.name.invite', maintenance: 'admin.queues.name.maintenance', audit: 'admin.queues.name.audit',
};
const queueName = (name: string): string => (QUEUE_LABEL[name] ? t(QUEUE_LABEL[name]) : name);

/** More waiting than this is a backlog worth a look; fewer is a normal burst. */
const BUSY_WAITING = 50;

/** Healthy, busy or in need of attention, with the number that decides it. */
function health(q: QueueRow) {
  if (q.counts.failed > 0) return <span class="badge urgent">{t('admin.queues.unhealthyFailed', { n: q.counts.failed })}</span>;
  if (q.counts.waiting + q.counts.delayed > BUSY_WAITING) return <span class="badge">{t('admin.queues.busy', { n: q.counts.waiting + q.counts.delayed })}</span>;
  return <span class="badge public">{t('admin.queues.healthy')}</span>;
}

/** Queue health: depths, failed jobs with retry, and e-mails that finally failed, with retry. Jobs carry ids only. */
export function QueuesScreen() {
  const [queues, setQueues] = useState<QueueRow[] | null>(null);
  const [failed, setFailed] = useState<Record<string, FailedJob[]>>({});
  const [notifications, setNotifications] = useState<FailedNotification[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = async () => {
    setError(null);
    try {
      const n = await admin<{ items: FailedNotification[] }>('GET', '/notifications/failed');
      if (n.ok) setNotifications(n.value.items);
      const q = await admin<{ items: QueueRow[] }>('GET', '/queues');
      if (q.ok) setQueues(q.value.items);
    } catch (e) {
      // Redis down answers 503: the depths are unknown, the notifications above still show.
      setError(e);
    }
  };
  useEffect(() => void load(), []);

  const showFailed = async (name: string) => {
    const outcome = await admin<{ items: FailedJob[] }>('GET', `/queues/${name}/failed`).catch((e: unknown) => {
      setError(e);
      return null;
    });
    if (outcome?.ok) setFailed({ ...failed, [name]: outcome.value.items });
    else if (outcome) setProblem(outcome.problem);
  };
  const retryJob = async (name: string, id: string) => {
    setProblem(null);
    setDone(null);
    const outcome = await admin('POST', `/queues/${name}/jobs/${encodeURIComponent(id)}/retry`).catch((e: unknown) => {
      setError(e);
      return null;
    });
    if (outcome?.ok) {
      setDone(t('admin.queues.retried'));
      await load();
      await showFailed(name);
    } else if (outcome) setProblem(outcome.problem);
  };
  const retryNotifications = async () => {
    setProblem(null);
    setDone(null);
    const outcome = await admin<{ people: number }>('POST', '/notifications/retry').catch((e: unknown) => {
      setError(e);
      return null;
    });
    if (outcome?.ok) {
      setDone(t('admin.queues.notificationsRetried', { n: outcome.value.people }));
      await load();
    } else if (outcome) setProblem(outcome.problem);
  };

  return (
    <>
      <div class="panel">
        <h2>{t('admin.queues.title')}</h2>
        <p class="hint">{t('admin.queues.healthHint', { n: BUSY_WAITING })}</p>
        <Done text={done} />
        <ProblemBox problem={problem} />
        <ErrorBox error={error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void load()}>
            {t('admin.queues.refresh')}
          </button>
        </div>
        {queues === null ? (
          !error && <p>{t('admin.loading')}</p>
        ) : (
          <DataTable
            caption={t('admin.queues.title')}
            rows={queues.map((q) => ({ ...q, id: q.name }))}
            columns={[
              {
                header: t('admin.queues.queue'), rowHeader: true,
                cell: (q) => (
                  <>
                    {queueName(q.name)} <code dir="ltr" class="muted">{q.name}</code>
                  </>
                ),
              },
              { header: t('admin.queues.health'), cell: health },
              ...COUNTS.map((c) => ({
                header: t(COUNT_LABEL[c]),
                cell: (q: QueueRow) =>
                  c === 'failed' && q.counts.failed > 0 ? (
                    <button type="button" class="link" aria-label={t('admin.queues.showFailedFor', { queue: queueName(q.name), n: String(q.counts.failed) })} onClick={() => void showFailed(q.name)}>
                      {q.counts.failed}
                    </button>
                  ) : (
                    q.counts[c]
                  ),
              })),
            ]}
          />
        )}
        {Object.entries(failed).map(([name, jobs]) => (
          <div key={name}>
            <h3>{t('admin.queues.failedTitle', { queue: queueName(name) })}</h3>
            {jobs.length === 0 ? (
              <p>{t('admin.queues.noFailed')}</p>
            ) : (
              <ul class="item-list">
                {jobs.map((j) => (
                  <li key={j.id}>
                    <span>
                      <code dir="ltr">{j.id}</code> · {t('admin.queues.attempts', { n: j.attemptsMade })}
                      {j.failedAt && <> · {formatDate(j.failedAt, true)}</>} · <span dir="ltr">{j.failedReason}</span>
                    </span>
                    <button type="button" class="secondary" aria-label={`${t('admin.queues.retry')}: ${j.id}`} onClick={() => void retryJob(name, j.id)}>
                      {t('admin.queues.retry')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      <div class="panel">
        <h2>{t('admin.queues.notificationsTitle')}</h2>
        <p class="hint">{t('admin.queues.notificationsHint')}</p>
        {notifications === null ? (
          <p>{t('admin.loading')}</p>
        ) : notifications.length === 0 ? (
          <p>{t('admin.queues.noFailedNotifications')}</p>
        ) : (
          <>
            <DataTable
              caption={t('admin.queues.notificationsTitle')}
              rows={notifications}
              columns={[
                { header: t('admin.people.email'), dir: 'ltr', cell: (n) => n.email },
                { header: t('admin.queues.kind'), cell: (n) => <code dir="ltr">{n.kind}</code> },
                { header: t('admin.queues.attemptsTitle'), cell: (n) => n.attempts },
                { header: t('admin.queues.lastError'), dir: 'ltr', cell: (n) => n.lastError ?? '—' },
                { header: t('admin.queues.failedAt'), cell: (n) => formatDate(n.failedAt, true) },
              ]}
            />
            <div class="actions">
              <button type="button" class="primary" onClick={() => void retryNotifications()}>
                {t('admin.queues.retryNotifications')}
              </button>
            </div>
          </>
        )}
      </div>
    </>
  );
}
