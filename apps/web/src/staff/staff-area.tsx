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
import { firstView, StaffNav, type StaffView } from './staff-nav';
import './staff.css';
import { AdminArea } from '../admin/admin-area';
import { TotpResetPage } from '../admin/totp-reset-page';

/** "/staff": sign-in, then the inbox and cases in place (the URL stays "/staff"). */
export function StaffArea() {
  const [user, setUser] = useState<StaffUser | null>(null);
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The invitation link is the one staff URL besides "/staff"; recovery and the views below are state.
  const [activating, setActivating] = useState(() => location.pathname === '/staff/activate');
  const [recovering, setRecovering] = useState(false);
  // The link of an admin's authenticator reset, like the invitation link, is a staff URL of its own.
  const [resettingTotp, setResettingTotp] = useState(() => location.pathname === '/staff/totp-reset');
  const [view, setView] = useState<StaffView>('inbox');
  useEffect(() => heading.current?.focus(), [user === null, openCaseId, view, recovering]);

  if (activating) return <Activation onFinished={() => setActivating(false)} heading={heading} />;
  if (resettingTotp) return <TotpResetPage onFinished={() => setResettingTotp(false)} heading={heading} />;
  if (!user && recovering) return <Recovery onBack={() => setRecovering(false)} heading={heading} />;
  if (!user) {
    return (
      <>
        <StaffLogin onSignedIn={(u) => {
            setView(firstView(u.roles));
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
    setOpenCaseId(null);
    setUser(null);
  };
  return (
    <div class="staff">
      <div class="staff-bar">
        <p>
          {t('staff.signedInAs', { name: user.displayName })} <span class="muted">({user.roles.join(', ')})</span>
        </p>
        <StaffNav view={view} roles={user.roles} onView={(v) => {
            setOpenCaseId(null);
            setView(v);
          }} />
        <button type="button" class="secondary" onClick={signOut}>
          {t('staff.signOut')}
        </button>
      </div>
      {view === 'admin' ? (
        <AdminArea heading={heading} />
      ) : view === 'account' ? (
        <Account onSignOut={signOut} heading={heading} />
      ) : view === 'surveys' ? (
        <Surveys heading={heading} />
      ) : view === 'requests' ? (
        <IdentityQueue heading={heading} />
      ) : openCaseId ? (
        <StaffCase caseId={openCaseId} onBack={() => setOpenCaseId(null)} heading={heading} />
      ) : (
        <Inbox onOpen={setOpenCaseId} heading={heading} />
      )}
    </div>
  );
}
