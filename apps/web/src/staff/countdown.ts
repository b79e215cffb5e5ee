import { t } from '../i18n';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** "due in 3 days", "due in 5 hours", "2 days overdue": the unit a person acts on. */
export function countdown(dueAt: string, now = Date.now()): { text: string; overdue: boolean } {
  const diff = new Date(dueAt).getTime() - now;
  const overdue = diff < 0;
  const abs = Math.abs(diff);
  const days = Math.floor(abs / DAY);
  const hours = Math.max(1, Math.round(abs / HOUR));
  if (overdue) return { overdue, text: days >= 1 ? t('due.overdueDays', { n: days }) : t('due.overdueHours', { n: hours }) };
  return { overdue, text: days >= 1 ? t('due.inDays', { n: days }) : t('due.inHours', { n: hours }) };
}
