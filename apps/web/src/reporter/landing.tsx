import { t } from '../i18n';
import { SelfCheck } from './self-check';
import { VersionNote } from '../release/version-note';

export function Landing({ onStart }: { onStart: () => void }) {
  return (
    <div class="landing">
      <h1 tabIndex={-1}>{t('landing.title')}</h1>
      <p class="lead">{t('landing.lead')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={onStart}>
          {t('landing.start')}
        </button>
        <a class="button-link" href="/follow-up">
          {t('landing.haveReceipt')}
        </a>
      </div>

      <section aria-labelledby="safety-title" class="panel">
        <h2 id="safety-title">{t('safety.title')}</h2>
        <ul class="safety-list">
          <li>{t('safety.device')}</li>
          <li>{t('safety.tor')}</li>
          <li>{t('safety.noTracking')}</li>
          <li>{t('safety.receipt')}</li>
        </ul>
      </section>

      <div class="two-columns">
        <section aria-labelledby="anon-yes-title" class="panel">
          <h2 id="anon-yes-title">{t('safety.anonymousTitle')}</h2>
          <ul>
            <li>{t('safety.anonymous1')}</li>
            <li>{t('safety.anonymous2')}</li>
            <li>{t('safety.anonymous3')}</li>
          </ul>
        </section>
        <section aria-labelledby="anon-no-title" class="panel">
          <h2 id="anon-no-title">{t('safety.notAnonymousTitle')}</h2>
          <ul>
            <li>{t('safety.notAnonymous1')}</li>
            <li>{t('safety.notAnonymous2')}</li>
            <li>{t('safety.notAnonymous3')}</li>
          </ul>
        </section>
      </div>

      <SelfCheck />
      <VersionNote />
    </div>
  );
}
