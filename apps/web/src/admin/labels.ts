import type { MessageKey } from '../i18n';

export const PRIORITY_LABEL: Record<string, MessageKey> = {
  low: 'admin.routing.priority.low', normal: 'admin.routing.priority.normal', high: 'admin.routing.priority.high', critical: 'admin.routing.priority.critical',
};
