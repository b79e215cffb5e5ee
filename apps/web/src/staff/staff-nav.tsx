import { t, type MessageKey } from '../i18n';

export type StaffView = 'inbox' | 'requests' | 'intake' | 'monitoring' | 'surveys' | 'account' | 'admin';

const LABEL: Record<StaffView, MessageKey> = {
  inbox: 'staffNav.inbox', requests: 'staffNav.requests', intake: 'staffNav.intake', monitoring: 'monitoring.navEntry', surveys: 'surveys.nav', account: 'staffNav.account', admin: 'admin.navEntry',
};

/** Analysts, supervisors and admins see the integrity monitoring dashboard. */
const seesStatistics = (roles: string[]) => roles.some((r) => r === 'analyst' || r === 'supervisor' || r === 'admin');
/** Someone who is nothing but an analyst has no inbox (the API refuses it): statistics only. */
const onlyAnalyst = (roles: string[]) => roles.length > 0 && roles.every((r) => r === 'analyst');

/** The screens a person's roles open, in the order of the navigation (the API still decides). */
export function allowedViews(roles: string[]): StaffView[] {
  const views: StaffView[] = onlyAnalyst(roles) ? [] : ['inbox'];
  if (roles.includes('custodian')) views.push('requests');
  if (roles.includes('intake')) views.push('intake');
  if (seesStatistics(roles)) views.push('monitoring');
  // Perception surveys (issue 15): analysts and admins.
  if (roles.includes('analyst') || roles.includes('admin')) views.push('surveys');
  // Administration is offered to admins only (the API refuses everyone else with 403 anyway).
  if (roles.includes('admin')) views.push('admin');
  views.push('account');
  return views;
}

/** Custodians decide identity requests, intake officers record reports, analysts read statistics: people who only hold that role start there. */
export function firstView(roles: string[]): StaffView {
  if (onlyAnalyst(roles)) return 'monitoring';
  const handles = roles.some((r) => r === 'investigator' || r === 'supervisor');
  if (!handles && roles.includes('custodian')) return 'requests';
  if (!handles && roles.includes('intake')) return 'intake';
  return 'inbox';
}

/** The staff screens; each has an address of its own (staff-route.ts), so Back and bookmarks work. */
export function StaffNav({ view, roles, onView }: { view: StaffView; roles: string[]; onView: (v: StaffView) => void }) {
  return (
    <nav class="staff-nav" aria-label={t('staffNav.label')}>
      <ul>
        {allowedViews(roles).map((v) => (
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
