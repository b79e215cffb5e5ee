import { t, type MessageKey } from '../i18n';

export type StaffView = 'inbox' | 'requests' | 'account' | 'admin' | 'surveys';

const LABEL: Record<StaffView, MessageKey> = { inbox: 'staffNav.inbox', requests: 'staffNav.requests', account: 'staffNav.account', admin: 'admin.navEntry', surveys: 'surveys.nav' };

/** Custodians decide identity requests; people who only hold that role start there. */
export function firstView(roles: string[]): StaffView {
  if (roles.includes('analyst') && !roles.some((r) => r === 'investigator' || r === 'supervisor' || r === 'custodian')) return 'surveys';
  return roles.includes('custodian') && !roles.some((r) => r === 'investigator' || r === 'supervisor') ? 'requests' : 'inbox';
}

/** The staff screens are component state, like the rest of the area: the URL stays "/staff". */
export function StaffNav({ view, roles, onView }: { view: StaffView; roles: string[]; onView: (v: StaffView) => void }) {
  const views: StaffView[] = roles.includes('custodian') ? ['inbox', 'requests', 'account'] : ['inbox', 'account'];
  // Administration is offered to admins only (the API refuses everyone else with 403 anyway).
  if (roles.includes('admin')) views.splice(views.length - 1, 0, 'admin');
  // Surveys (issue 15): analysts and admins.
  if (roles.includes('analyst') || roles.includes('admin')) views.splice(views.length - 1, 0, 'surveys');
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
