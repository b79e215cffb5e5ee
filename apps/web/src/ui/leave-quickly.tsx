import { terminateCryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';

/**
 * Where "Leave quickly" goes: a neutral, widely used site, so that a glance at the screen shows
 * nothing about reporting. location.replace puts it in place of this page in the tab's history.
 */
export const NEUTRAL_PAGE = 'https://www.wikipedia.org/';

let leaving = false;

/** True once the reporter chose to leave: no "are you sure?" may hold them back. */
export function isLeaving(): boolean {
  return leaving;
}

/**
 * Clears what this tab holds of the report, then replaces the page: the draft kept for reloads
 * (sessionStorage), the crypto worker with its keys, sessions and sealed drafts, and the page's
 * own content (so a back-forward cache cannot show it again). The tab's history keeps the
 * earlier entries of this site (no page can erase them); docs/threat-model.md says so.
 */
export function leaveQuickly(): void {
  leaving = true;
  try {
    sessionStorage.clear();
  } catch {
    // Nothing was stored.
  }
  terminateCryptoWorker();
  document.getElementById('app')?.replaceChildren();
  document.title = '';
  location.replace(NEUTRAL_PAGE);
}

// If the browser brings this page back from its back-forward cache, start again from nothing.
addEventListener('pageshow', (e: PageTransitionEvent) => {
  if (e.persisted && leaving) location.reload();
});

export function LeaveQuickly() {
  return (
    <div class="leave-quickly">
      <button type="button" onClick={leaveQuickly} aria-describedby="leave-quickly-hint">
        {t('leave.button')}
      </button>
      <span class="visually-hidden" id="leave-quickly-hint">
        {t('leave.hint')}
      </span>
    </div>
  );
}
