import { t } from '../i18n';
import { checkedByReleaseGuard } from './register';

/** The running version and how anyone can check that it is the published, signed code. */
export function VersionNote() {
  return (
    <details class="panel version-note">
      <summary>
        {t('landing.version', { version: __SAUTI_VERSION__ })} · {t('landing.verifyTitle')}
      </summary>
      <p>{checkedByReleaseGuard() ? t('landing.verifyGuarded') : t('landing.verifyUnguarded')}</p>
      <p>{t('landing.verifyText')}</p>
      <p>
        <code>{`npx sauti-verify ${location.origin}`}</code>
      </p>
      <p>
        <a href="/.well-known/sauti/manifest.json">{t('landing.verifyManifest')}</a>
      </p>
    </details>
  );
}
