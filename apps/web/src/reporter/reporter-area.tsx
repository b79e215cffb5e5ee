import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { Landing } from './landing';
import { useIntake } from './intake';
import { Wizard } from './wizard';
import './reporter.css';

/** "/": the landing page, then the wizard in place (the URL stays "/"). */
export function ReporterArea() {
  const [started, setStarted] = useState(false);
  const intake = useIntake();
  if (!started) return <Landing onStart={() => setStarted(true)} />;
  if (intake.error) {
    return (
      <div class="notice error" role="alert">
        <p>{t('intake.failed')}</p>
        <button type="button" class="secondary" onClick={intake.reload}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
  if (!intake.intake) return <p role="status">{t('app.loading')}</p>;
  if (intake.intake.contexts.length === 0) return <p class="notice warning">{t('intake.noChannels')}</p>;
  return <Wizard intake={intake.intake} onExit={() => setStarted(false)} />;
}
