import type { ReporterCaseView } from '../crypto/protocol';
import { formatDate, t, type MessageKey } from '../i18n';

const STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'] as const;
type Status = (typeof STATUSES)[number];

const NAME: Record<Status, MessageKey> = {
  received: 'status.received',
  acknowledged: 'status.acknowledged',
  in_progress: 'status.in_progress',
  closed: 'status.closed',
};
const EXPLAIN: Record<Status, MessageKey> = {
  received: 'status.receivedExplain',
  acknowledged: 'status.acknowledgedExplain',
  in_progress: 'status.in_progressExplain',
  closed: 'status.closedExplain',
};

export const statusName = (s: string): string => (s in NAME ? t(NAME[s as Status]) : s);

/** The law's outer limits, used only for a case the server has not dated yet (before triage). */
const ACK_DAYS = 7;
const FEEDBACK_MONTHS = 3;

function addMonths(d: Date, n: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + n);
  return r;
}

/**
 * The case's own deadlines as the server dated them (the context's or a routing rule's); before
 * triage, the legal limits (acknowledge within 7 days, feedback within 3 months).
 */
export function deadlines(view: ReporterCaseView): { acknowledgeBy: Date; feedbackBy: Date } {
  const acknowledgeBy = view.acknowledgeDueAt ? new Date(view.acknowledgeDueAt) : new Date(new Date(view.receivedAt).getTime() + ACK_DAYS * 86_400_000);
  const from = view.acknowledgedAt ? new Date(view.acknowledgedAt) : acknowledgeBy;
  const feedbackBy = view.feedbackDueAt ? new Date(view.feedbackDueAt) : addMonths(from, FEEDBACK_MONTHS);
  return { acknowledgeBy, feedbackBy };
}

export function StatusTimeline({ view, now = new Date() }: { view: ReporterCaseView; now?: Date }) {
  const reachedAt = new Map<string, string>();
  for (const h of view.statusHistory) if (!reachedAt.has(h.status)) reachedAt.set(h.status, h.at);
  if (!reachedAt.has('received')) reachedAt.set('received', view.receivedAt);
  const currentIndex = Math.max(0, STATUSES.indexOf(view.status as Status));
  const { acknowledgeBy, feedbackBy } = deadlines(view);
  const closed = view.status === 'closed';
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      <ol class="timeline">
        {STATUSES.map((s, i) => {
          const at = reachedAt.get(s);
          const state = i < currentIndex || (i === currentIndex && at) ? 'reached' : 'future';
          return (
            <li key={s} class={`timeline-item ${state} ${i === currentIndex ? 'current' : ''}`} aria-current={i === currentIndex ? 'step' : undefined}>
              <h3>
                {t(NAME[s])}
                {i === currentIndex && <span class="badge current-badge">{t('timeline.now')}</span>}
              </h3>
              {at && i <= currentIndex && <p class="muted">{formatDate(at, true)}</p>}
              <p>{t(EXPLAIN[s])}</p>
              {s === 'acknowledged' && !view.acknowledgedAt && !closed && (
                <p class={now > acknowledgeBy ? 'deadline overdue' : 'deadline'}>
                  {t(now > acknowledgeBy ? 'timeline.ackOverdue' : 'timeline.ackDue', { date: formatDate(acknowledgeBy) })}
                </p>
              )}
              {s === 'in_progress' && !closed && (
                <p class={now > feedbackBy ? 'deadline overdue' : 'deadline'}>
                  {t(now > feedbackBy ? 'timeline.feedbackOverdue' : 'timeline.feedbackDue', { date: formatDate(feedbackBy) })}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
