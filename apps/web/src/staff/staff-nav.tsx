import { t, type MessageKey } from '../i18n';

export type StaffView = 'inbox' | 'requests' | 'account' | 'admin' | 'monitoring';

const LABEL: Record<StaffView, MessageKey> = {
  inbox: 'staffNav.inbox', requests: 'staffNav.requests', account: 'staffNav.account', admin: 'admin.navEntry', monitoring: 'monitoring.navEntry',
};

/** Analysts, supervisors and admins see the integrity monitoring dashboard. */
const seesStatistics = (roles: string[]) => roles.some((r) => r === 'analyst' || r === 'supervisor' || r === 'admin');
/** Someone who is nothing but an analyst has no inbox (the API refuses it): statistics only. */
const onlyAnalyst = (roles: string[]) => roles.length > 0 && roles.every((r) => r === 'analyst');

/** Custodians decide identity requests; people who only hold that role start there. Analysts start at the dashboard. */
export function firstView(roles: string[]): StaffView {
  if (onlyAnalyst(roles)) return 'monitoring';
  return roles.includes('custodian') && !roles.some((r) => r === 'investigator' || r === 'supervisor') ? 'requests' : 'inbox';
}

/** The staff screens are component state, like the rest of the area: the URL stays "/staff". */
export function StaffNav({ view, roles, onView }: { view: StaffView; roles: string[]; onView: (v: StaffView) => void }) {
  const views: StaffView[] = onlyAnalyst(roles) ? ['account'] : roles.includes('custodian') ? ['inbox', 'requests', 'account'] : ['inbox', 'account'];
  if (seesStatistics(roles)) views.splice(views.length - 1, 0, 'monitoring');
  // Administration is offered to admins only (the API refuses everyone else with 403 anyway).
  if (roles.includes('admin')) views.splice(views.length - 1, 0, 'admin');
  return (
    <nav class="staff-nav" aria-label={t('staffNav.label')}>
      <ul>
        {views.map((v) => (
          <li key={v}>
            <button type="button" class="link" aria-current={v === view ? 'page' : undefined} onClick={() => onView(v)}>
              {t(LABEL[v])}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
