import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicIteration, SurveyResponseBody } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { QuestionnaireForm } from './questionnaire-form';
import { pick, submitDelayMs } from './texts';

/** "/survey/<iterationId>": one respondent, on any device; the answers are sealed in the worker. */
export function Respondent({ iterationId, heading }: { iterationId: string; heading: RefObject<HTMLHeadingElement | null> }) {
  const [iteration, setIteration] = useState<PublicIteration | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [redeemed, setRedeemed] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [receivedOn, setReceivedOn] = useState<string | null>(null);
  useEffect(() => {
    cryptoWorker().call('surveyLoad', { iterationId }).then(setIteration, setError);
  }, [iterationId]);
  useEffect(() => heading.current?.focus(), [iteration === null, redeemed, receivedOn]);

  if (!iteration) {
    return (
      <section class="survey">
        <h1 ref={heading} tabIndex={-1}>{error ? t('survey.notFound') : t('survey.loading')}</h1>
        <ErrorBox error={error} />
      </section>
    );
  }
  const title = pick(iteration.definition.title);
  if (iteration.status !== 'open') {
    return (
      <section class="survey">
        <h1 ref={heading} tabIndex={-1} dir="auto">{title}</h1>
        <p class="notice">{t('survey.closed')}</p>
      </section>
    );
  }
  if (receivedOn) {
    return (
      <section class="survey">
        <h1 ref={heading} tabIndex={-1} dir="auto">{title}</h1>
        <p class="notice success" role="status">{t('survey.thanks', { day: formatDate(`${receivedOn}T12:00:00Z`) })}</p>
        <p>{t('survey.thanksNote')}</p>
      </section>
    );
  }
  const redeem = async (e: Event) => {
    e.preventDefault();
    setBusy(t('survey.codeChecking'));
    setError(null);
    try {
      await cryptoWorker().call('surveyRedeem', { iterationId, code });
      setRedeemed(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const send = async (body: SurveyResponseBody) => {
    setError(null);
    setBusy(t('survey.sending'));
    try {
      const answer = await cryptoWorker().call('surveySubmit', { iterationId, body, maxDelayMs: submitDelayMs() });
      setReceivedOn(answer.receivedOn);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const needsCode = !iteration.openLink && !redeemed;
  return (
    <section class="survey">
      <h1 ref={heading} tabIndex={-1} dir="auto">{title}</h1>
      {iteration.definition.intro && <p dir="auto">{pick(iteration.definition.intro)}</p>}
      <p class="notice">{t('survey.privacy')}</p>
      {iteration.openLink && !redeemed && <p class="muted">{t('survey.openLinkNote')}</p>}
      <ErrorBox error={error} />
      {needsCode ? (
        <form onSubmit={redeem} class="survey-code">
          <TextField id="survey-code" label={t('survey.codeLabel')} hint={t('survey.codeHint')} value={code} onValue={setCode} required class="code-input" />
          <SubmitRow label={t('survey.codeSubmit')} busy={busy ? <p class="notice" role="status">{busy}</p> : undefined} disabled={code.trim().length < 16} />
        </form>
      ) : (
        <QuestionnaireForm iteration={iteration} busy={busy} submitLabel={t('survey.submit')} onAnswers={send} />
      )}
    </section>
  );
}
