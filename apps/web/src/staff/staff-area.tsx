import { useEffect, useRef, useState } from 'preact/hooks';
import type { StaffUser } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { StaffCase } from './case-view';
import { Inbox } from './inbox';
import { StaffLogin } from './login';

/** "/staff": sign-in, then the inbox and cases in place (the URL stays "/staff"). */
export function StaffArea() {
  const [user, setUser] = useState<StaffUser | null>(null);
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [user === null, openCaseId]);

  if (!user) return <StaffLogin onSignedIn={setUser} heading={heading} />;
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
        <button type="button" class="secondary" onClick={signOut}>
          {t('staff.signOut')}
        </button>
      </div>
      {openCaseId ? (
        <StaffCase caseId={openCaseId} onBack={() => setOpenCaseId(null)} heading={heading} />
      ) : (
        <Inbox onOpen={setOpenCaseId} heading={heading} />
      )}
    </div>
  );
}
