import { useEffect, useState } from 'preact/hooks';
import type { StaffCaseFilters } from '../crypto/protocol';
import { mayLeave } from './leave-guard';

/**
 * Where a staff member is, in the address bar, so that Back, reload (after signing in again) and
 * bookmarks work. Only ids and filter values go into the URL: never a name, a text or a key.
 *
 *   /staff                      inbox (filters as ?status=…&assignee=…&sort=…&overdue=1&page=…)
 *   /staff/cases/<uuid>         one case
 *   /staff/requests             the custodian's identity requests
 *   /staff/account              the account page
 *   /staff/admin/<screen>       an administration screen
 *   /staff/intake               on-behalf intake
 *   /staff/monitoring           the integrity monitoring dashboard
 *   /staff/surveys              perception surveys (analysts and admins)
 */
export const ADMIN_SCREENS = ['people', 'units', 'contexts', 'factors', 'routing', 'queues', 'legal-hold'] as const;
export type AdminScreen = (typeof ADMIN_SCREENS)[number];

export type StaffRoute =
  | { view: 'inbox'; filters: StaffCaseFilters }
  | { view: 'case'; caseId: string }
  | { view: 'requests' }
  | { view: 'account' }
  | { view: 'intake' }
  | { view: 'monitoring' }
  | { view: 'surveys' }
  | { view: 'admin'; screen: AdminScreen };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = new Set(['received', 'acknowledged', 'in_progress', 'closed']);
const ASSIGNEES = new Set(['me', 'none']);
const SORTS = new Set(['priority', 'due', 'received']);

/** The inbox filters a query string names; anything unknown is dropped rather than sent on. */
export function filtersOf(search: string): StaffCaseFilters {
  const q = new URLSearchParams(search);
  const f: StaffCaseFilters = { sort: 'priority' };
  const status = q.get('status');
  if (status && STATUSES.has(status)) f.status = status;
  const assignee = q.get('assignee');
  if (assignee && ASSIGNEES.has(assignee)) f.assignee = assignee;
  const sort = q.get('sort');
  if (sort && SORTS.has(sort)) f.sort = sort;
  if (q.get('overdue') === '1') f.overdue = true;
  const page = Number(q.get('page'));
  if (Number.isInteger(page) && page > 1 && page <= 100_000) f.page = page;
  return f;
}

/** The route of an address; null for one that is not a staff screen (e.g. /staff/activate). */
export function parseStaffRoute(pathname: string, search: string): StaffRoute | null {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'staff') return null;
  const [, first, second] = parts;
  if (first === undefined) return { view: 'inbox', filters: filtersOf(search) };
  if (first === 'cases' && second && UUID.test(second) && parts.length === 3) return { view: 'case', caseId: second };
  if ((first === 'requests' || first === 'account' || first === 'intake' || first === 'monitoring' || first === 'surveys') && parts.length === 2) return { view: first };
  if (first === 'admin' && parts.length <= 3) {
    const screen = (second ?? 'people') as AdminScreen;
    return ADMIN_SCREENS.includes(screen) ? { view: 'admin', screen } : null;
  }
  return null;
}

export function staffRouteUrl(route: StaffRoute): string {
  switch (route.view) {
    case 'inbox': {
      const q = new URLSearchParams();
      const f = route.filters;
      if (f.status) q.set('status', f.status);
      if (f.assignee) q.set('assignee', f.assignee);
      if (f.sort && f.sort !== 'priority') q.set('sort', f.sort);
      if (f.overdue) q.set('overdue', '1');
      if (f.page && f.page > 1) q.set('page', String(f.page));
      const s = q.toString();
      return s ? `/staff?${s}` : '/staff';
    }
    case 'case':
      return `/staff/cases/${route.caseId}`;
    case 'admin':
      return `/staff/admin/${route.screen}`;
    default:
      return `/staff/${route.view}`;
  }
}

/** What a history entry remembers besides its address: whether it was opened from the inbox. */
export type HistoryState = { fromInbox: true } | null;

/** True when Back leads to the inbox this entry was opened from (its filters included). */
export const openedFromInbox = (): boolean => (history.state as HistoryState)?.fromInbox === true;

const current = (): StaffRoute | null => parseStaffRoute(location.pathname, location.search);

/**
 * The route in the address bar and a way to move: `go` pushes a history entry (Back returns),
 * `replace` changes the entry in place (filters typed one after another, or a correction).
 * Moving never reloads the page, so the keys in the crypto worker stay.
 */
export function useStaffRoute(): { route: StaffRoute | null; go: (r: StaffRoute, replace?: boolean, state?: HistoryState) => void } {
  const [route, setRoute] = useState<StaffRoute | null>(current);
  useEffect(() => {
    let shownUrl = location.pathname + location.search;
    const onPop = () => {
      // Back with unsaved work: if the person stays, put the address of the screen they stay on back.
      if (!mayLeave()) return history.pushState(null, '', shownUrl);
      shownUrl = location.pathname + location.search;
      setRoute(current());
    };
    const onGo = () => (shownUrl = location.pathname + location.search);
    addEventListener('popstate', onPop);
    addEventListener('sauti:navigated', onGo);
    return () => {
      removeEventListener('popstate', onPop);
      removeEventListener('sauti:navigated', onGo);
    };
  }, []);
  const go = (r: StaffRoute, replace = false, state: HistoryState = null) => {
    if (!mayLeave()) return;
    const url = staffRouteUrl(r);
    if (url !== location.pathname + location.search) {
      if (replace) history.replaceState(state, '', url);
      else history.pushState(state, '', url);
      dispatchEvent(new Event('sauti:navigated'));
    }
    setRoute(r);
  };
  return { route, go };
}
