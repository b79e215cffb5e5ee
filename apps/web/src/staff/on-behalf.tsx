import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import { useIntake } from '../reporter/intake';
import { Wizard } from '../reporter/wizard';
import '../reporter/reporter.css';

type Via = 'hotline' | 'walk_in' | 'letter';
const VIA: { value: Via; label: MessageKey }[] = [
  { value: 'hotline', label: 'onBehalf.hotline' },
  { value: 'walk_in', label: 'onBehalf.walkIn' },
  { value: 'letter', label: 'onBehalf.letter' },
];

/**
 * On-behalf intake (issue 13): an intake officer types what a caller, a visitor or a letter says into
 * the reporter's own wizard, which seals it here exactly as a reporter's browser would. The officer
 * reads the receipt out or prints it; afterwards this browser keeps nothing, and the officer can read
 * the case only if the context also seals to them.
 */
export function OnBehalfIntake({ heading }: { heading: Ref<HTMLHeadingElement> }) {
  const [via, setVia] = useState<Via | ''>('');
  const [started, setStarted] = useState(false);
  const [missing, setMissing] = useState(false);
  const intake = useIntake();

  if (started && via && intake.intake) {
    return <Wizard intake={intake.intake} onBehalf={via} onExit={() => {
        setStarted(false);
        setVia('');
      }} />;
  }
  return (
    <section aria-labelledby="on-behalf-title" class="narrow">
      <h1 id="on-behalf-title" ref={heading} tabIndex={-1}>
        {t('onBehalf.title')}
      </h1>
      <p>{t('onBehalf.intro')}</p>
      <form noValidate onSubmit={(e) => {
          e.preventDefault();
          setMissing(!via);
          if (via) setStarted(true);
        }}>
        <fieldset aria-describedby={missing ? 'on-behalf-via-error' : undefined}>
          <legend>
            {t('onBehalf.via')}
            <span class="required-mark" aria-hidden="true"> *</span>
          </legend>
          {missing && (
            <p class="field-error" id="on-behalf-via-error">
              {t('onBehalf.viaMissing')}
            </p>
          )}
          {VIA.map((v) => (
            <div class="check" key={v.value}>
              <input type="radio" id={`on-behalf-${v.value}`} name="on-behalf-via" value={v.value} checked={via === v.value} onChange={() => setVia(v.value)} />
              <label for={`on-behalf-${v.value}`}>{t(v.label)}</label>
            </div>
          ))}
        </fieldset>
        {intake.error && (
          <p class="notice error" role="alert">
            {t('intake.failed')}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={!intake.intake}>
            {t('onBehalf.start')}
          </button>
        </div>
      </form>
    </section>
  );
}
