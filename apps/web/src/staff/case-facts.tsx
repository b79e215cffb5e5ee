import type { StaffCaseSummary } from '../crypto/protocol';
import { language, t, type MessageKey } from '../i18n';
import { PRIORITY_LABEL } from '../admin/labels';

const INTAKE_LABEL: Record<string, MessageKey> = { web: 'onBehalf.web', hotline: 'onBehalf.hotline', walk_in: 'onBehalf.walkIn', letter: 'onBehalf.letter' };

/** How the report reached Sauti, in words ("By telephone (hotline)"). */
export const intakeChannelName = (c: string): string => (INTAKE_LABEL[c] ? t(INTAKE_LABEL[c]) : c);

const CHANNEL_LABEL: Record<string, MessageKey> = { public: 'channel.public', internal: 'channel.internal' };

export { roleName, roleNames } from '../admin/role-checks';

export const priorityName = (priority: string): string => (PRIORITY_LABEL[priority] ? t(PRIORITY_LABEL[priority]) : priority);

export const channelName = (channel: string): string => (CHANNEL_LABEL[channel] ? t(CHANNEL_LABEL[channel]) : channel);

/** "fr" as "French" (in English) or "français" (in French): the browser knows every language's name. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The routing priority triage set, with the reporter's own "urgent" beside it when they asked. */
export function PriorityCell({ c }: { c: Pick<StaffCaseSummary, 'priority' | 'urgent'> }) {
  const raised = c.priority === 'high' || c.priority === 'critical';
  return (
    <>
      <span class={raised ? 'badge urgent' : undefined}>{priorityName(c.priority)}</span>
      {c.urgent && (
        <>
          <br />
          <span class="muted">{t('inbox.reporterUrgent')}</span>
        </>
      )}
    </>
  );
}

/** Who holds the case: "Me", a colleague's name, or "Nobody". */
export const assigneeText = (c: Pick<StaffCaseSummary, 'assignedToMe' | 'assigneeName' | 'assigneeId'>): string =>
  c.assignedToMe ? t('inbox.assigneeMe') : c.assigneeId ? (c.assigneeName ?? '—') : t('inbox.assigneeNone');
