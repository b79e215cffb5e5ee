import { useEffect, useRef, useState } from 'preact/hooks';
import type { StaffUser } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { StaffCase } from './case-view';
import { Inbox } from './inbox';
import { StaffLogin } from './login';
import { Account } from './account';
import { Activation } from './activation';
import { IdentityQueue } from './identity-queue';
import { Surveys } from './surveys';
import { Recovery } from './recovery';
import { allowedViews, firstView, StaffNav } from './staff-nav';
import { roleNames } from './case-facts';
import { openedFromInbox, parseStaffRoute, useStaffRoute, type StaffRoute } from './staff-route';
import './staff.css';
import { AdminArea } from '../admin/admin-area';
import { TotpResetPage } from '../admin/totp-reset-page';
import { Dashboard } from '../monitoring/dashboard';
import { OnBehalfIntake } from './on-behalf';

/** The route to show a signed-in person: the address they came with when their roles allow it. */
function landing(route: StaffRoute | null, roles: string[]): StaffRoute {
  const views = allowedViews(roles);
  if (route && (route.view === 'case' ? views.includes('inbox') : views.includes(route.view))) return route;
  const first = firstView(roles);
  return first === 'inbox' ? { view: 'inbox', filters: { sort: 'priority' } } : first === 'admin' ? { view: 'admin', screen: 'people' } : { view: first };
}

/**
 * "/staff": sign-in, then the inbox, cases and other screens, each at an address of its own (see
 * staff-route.ts). A reload restarts the crypto worker, so it asks to sign in again, then returns
 * to the same address.
 */
export function StaffArea() {
  const [user, setUser] = useState<StaffUser | null>(null);
  const { route, go } = useStaffRoute();
  const heading = useRef<HTMLHeadingElement>(null);
  // The invitation link is a staff URL of its own; recovery is state (it holds secrets being typed).
  const [activating, setActivating] = useState(() => location.pathname === '/staff/activate');
  const [recovering, setRecovering] = useState(false);
  // The link of an admin's authenticator reset, like the invitation link, is a staff URL of its own.
  const [resettingTotp, setResettingTotp] = useState(() => location.pathname === '/staff/totp-reset');
  const place = route === null ? 'none' : route.view === 'case' ? route.caseId : route.view === 'admin' ? 'admin' : route.view;
  useEffect(() => heading.current?.focus(), [user === null, place, recovering]);

  if (activating) return <Activation onFinished={() => setActivating(false)} heading={heading} />;
  if (resettingTotp) return <TotpResetPage onFinished={() => setResettingTotp(false)} heading={heading} />;
  if (!user && recovering) return <Recovery onBack={() => setRecovering(false)} heading={heading} />;
  if (!user) {
    return (
      <>
        <StaffLogin onSignedIn={(u) => {
            // A bare "/staff" names no screen: each person starts where their roles lead.
            const asked = location.pathname.replace(/\/+$/, '') === '/staff' && !location.search ? null : parseStaffRoute(location.pathname, location.search);
            go(landing(asked, u.roles), true);
            setUser(u);
          }} heading={heading} />
        <p>
          <button type="button" class="link" onClick={() => setRecovering(true)}>
            {t('recovery.link')}
          </button>
        </p>
      </>
    );
  }
  const signOut = async () => {
    await cryptoWorker().call('staffLogout', null).catch(() => null);
    history.replaceState(null, '', '/staff');
    setUser(null);
  };
  const shown = landing(route, user.roles);
  const toInbox = () => go({ view: 'inbox', filters: { sort: 'priority' } });
  return (
    <div class="staff">
      <div class="staff-bar">
        <p>
          {t('staff.signedInAs', { name: user.displayName })} <span class="muted">({roleNames(user.roles)})</span>
        </p>
        <StaffNav view={shown.view === 'case' ? 'inbox' : shown.view} roles={user.roles} onView={(v) =>
            go(v === 'inbox' ? { view: 'inbox', filters: { sort: 'priority' } } : v === 'admin' ? { view: 'admin', screen: 'people' } : { view: v })} />
        <button type="button" class="secondary" onClick={signOut}>
          {t('staff.signOut')}
        </button>
      </div>
      {shown.view === 'admin' ? (
        <AdminArea heading={heading} screen={shown.screen} onScreen={(screen) => go({ view: 'admin', screen })} />
      ) : shown.view === 'monitoring' ? (
        <Dashboard heading={heading} />
      ) : shown.view === 'account' ? (
        <Account onSignOut={signOut} heading={heading} />
      ) : shown.view === 'surveys' ? (
        <Surveys heading={heading} />
      ) : shown.view === 'requests' ? (
        <IdentityQueue heading={heading} />
      ) : shown.view === 'intake' ? (
        <OnBehalfIntake heading={heading} />
      ) : shown.view === 'case' ? (
        <StaffCase caseId={shown.caseId} onBack={() => (openedFromInbox() ? history.back() : toInbox())} heading={heading} />
      ) : (
        <Inbox
          filters={shown.view === 'inbox' ? shown.filters : { sort: 'priority' }}
          onFilters={(filters) => go({ view: 'inbox', filters }, true)}
          onOpen={(caseId) => go({ view: 'case', caseId }, false, { fromInbox: true })}
          heading={heading}
        />
      )}
    </div>
  );
}
