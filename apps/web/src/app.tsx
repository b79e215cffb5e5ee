import { useState } from 'preact/hooks';
import { setLanguage, t, type Language } from './i18n';
import { FollowUp } from './reporter/follow-up';
import { ReporterArea } from './reporter/reporter-area';
import { StaffArea } from './staff/staff-area';
import { TransparencyPage } from './monitoring/transparency';
import { SurveyArea } from './survey/survey-area';
import { LanguagePicker } from './ui/language-picker';
import { LeaveQuickly } from './ui/leave-quickly';

export type Area = 'report' | 'follow-up' | 'staff' | 'transparency' | 'survey';

/** Only the top-level area is in the URL; everything inside an area is in memory. */
export function areaOf(path: string): Area {
  if (path === '/follow-up' || path.startsWith('/follow-up/')) return 'follow-up';
  if (path === '/staff' || path.startsWith('/staff/')) return 'staff';
  if (path === '/transparency') return 'transparency';
  if (path.startsWith('/survey/')) return 'survey';
  return 'report';
}

export function App({ initial }: { initial: Language }) {
  const [lang, setLang] = useState(initial);
  const area = areaOf(location.pathname);
  const change = (l: Language) => {
    setLanguage(l);
    setLang(l);
  };
  return (
    <div class="app" data-lang={lang}>
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        {t('app.skip')}
      </a>
      <header class="site-header">
        <div class="brand">
          <span class="brand-name">Sauti</span>
          <span class="brand-tagline">{t('app.tagline')}</span>
        </div>
        <nav aria-label={t('app.navLabel')}>
          <ul>
            {area === 'staff' ? (
              <li>
                <a href="/staff" aria-current="page">
                  {t('nav.staff')}
                </a>
              </li>
            ) : (
              <>
                <li>
                  <a href="/" aria-current={area === 'report' ? 'page' : undefined}>
                    {t('nav.report')}
                  </a>
                </li>
                <li>
                  <a href="/follow-up" aria-current={area === 'follow-up' ? 'page' : undefined}>
                    {t('nav.followUp')}
                  </a>
                </li>
              </>
            )}
          </ul>
        </nav>
        <LanguagePicker onChange={change} />
        {area !== 'staff' && <LeaveQuickly />}
      </header>
      <main id="main" tabIndex={-1}>
        {area === 'report' && <ReporterArea />}
        {area === 'follow-up' && <FollowUp />}
        {area === 'staff' && <StaffArea />}
        {area === 'transparency' && <TransparencyPage />}
        {area === 'survey' && <SurveyArea />}
      </main>
      {area !== 'staff' && (
        <footer class="site-footer">
          <p>{t('footer.encryption')}</p>
          <p>{t('footer.noTracking')}</p>
          <p>
            <a href="/staff">{t('nav.staffLink')}</a>
          </p>
        </footer>
      )}
    </div>
  );
}
