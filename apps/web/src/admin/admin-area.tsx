import { useEffect } from 'preact/hooks';
import type { AdminScreen } from '../staff/staff-route';
import { t, type MessageKey } from '../i18n';
import { CategoryFactorsScreen } from './category-factors';
import { ContextsScreen } from './contexts';
import { LegalHoldScreen } from './legal-hold';
import { PeopleScreen } from './people';
import { QueuesScreen } from './queues';
import { RoutingScreen } from './routing';
import { UnitsScreen } from './units';
import './admin.css';

const VIEWS: { view: AdminScreen; label: MessageKey }[] = [
  { view: 'people', label: 'admin.nav.people' },
  { view: 'units', label: 'admin.nav.units' },
  { view: 'contexts', label: 'admin.nav.contexts' },
  { view: 'factors', label: 'monitoring.admin.nav' },
  { view: 'routing', label: 'admin.nav.routing' },
  { view: 'queues', label: 'admin.nav.queues' },
  { view: 'legal-hold', label: 'admin.nav.legalHold' },
];

/** Administration at "/staff/admin/<screen>": one screen at a time, chosen here. */
export function AdminArea({ heading, screen: view, onScreen: setView }: {
  heading: { current: HTMLHeadingElement | null }; screen: AdminScreen; onScreen: (s: AdminScreen) => void;
}) {
  useEffect(() => heading.current?.focus(), [view]);
  return (
    <section class="admin" aria-labelledby="admin-title">
      <h1 id="admin-title" ref={heading} tabIndex={-1}>
        {t('admin.title')} <span class="muted">· {t(VIEWS.find((v) => v.view === view)!.label)}</span>
      </h1>
      <nav class="admin-nav" aria-label={t('admin.navLabel')}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.view}>
              <button type="button" class="link" aria-current={v.view === view ? 'page' : undefined} onClick={() => setView(v.view)}>
                {t(v.label)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'people' && <PeopleScreen />}
      {view === 'units' && <UnitsScreen />}
      {view === 'contexts' && <ContextsScreen />}
      {view === 'factors' && <CategoryFactorsScreen />}
      {view === 'routing' && <RoutingScreen />}
      {view === 'queues' && <QueuesScreen />}
      {view === 'legal-hold' && <LegalHoldScreen />}
    </section>
  );
}
