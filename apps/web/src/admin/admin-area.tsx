import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import { CategoryFactorsScreen } from './category-factors';
import { ContextsScreen } from './contexts';
import { LegalHoldScreen } from './legal-hold';
import { PeopleScreen } from './people';
import { QueuesScreen } from './queues';
import { RoutingScreen } from './routing';
import { UnitsScreen } from './units';
import './admin.css';

export type AdminView = 'people' | 'units' | 'contexts' | 'factors' | 'routing' | 'queues' | 'legalHold';

const VIEWS: { view: AdminView; label: MessageKey }[] = [
  { view: 'people', label: 'admin.nav.people' },
  { view: 'units', label: 'admin.nav.units' },
  { view: 'contexts', label: 'admin.nav.contexts' },
  { view: 'factors', label: 'monitoring.admin.nav' },
  { view: 'routing', label: 'admin.nav.routing' },
  { view: 'queues', label: 'admin.nav.queues' },
  { view: 'legalHold', label: 'admin.nav.legalHold' },
];

/** Administration inside "/staff" (the URL does not change): one screen at a time, chosen here. */
export function AdminArea({ heading }: { heading: { current: HTMLHeadingElement | null } }) {
  const [view, setView] = useState<AdminView>('people');
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
      {view === 'legalHold' && <LegalHoldScreen />}
    </section>
  );
}
