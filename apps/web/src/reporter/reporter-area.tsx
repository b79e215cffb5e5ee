import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { Landing } from './landing';
import { useIntake } from './intake';
import { stepInHistory, Wizard } from './wizard';
import './reporter.css';

/** "/": the landing page, then the wizard in place (the URL stays "/"; the step is in history.state). */
export function ReporterArea() {
  // A reload or Forward onto a wizard step resumes the wizard (with the tab's draft, if any).
  const [started, setStarted] = useState(() => stepInHistory() !== null);
  const intake = useIntake();
  useEffect(() => {
    const onPop = (e: PopStateEvent) => {
      if (stepInHistory(e.state)) setStarted(true);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const start = () => {
    history.pushState({ sautiStep: 'channel' }, '');
    setStarted(true);
  };
  if (!started) return <Landing onStart={start} />;
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
