import type { Intake } from '@sauti/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Progress, Stage } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { language, t, type MessageKey } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { ErrorSummary } from '../ui/field';
import { ProgressSteps } from '../ui/progress';
import {
  channelErrors,
  detailErrors,
  emptyDraft,
  exclusionErrors,
  identityErrors,
  newDraftId,
  submitArgs,
  type Draft,
  type FieldError,
} from './draft';
import { ReceiptPage, type Submitted } from './receipt-page';
import { StepChannel, StepDetails, StepExclusions } from './steps-intro';
import { StepAttachments, StepIdentity, StepReview, type StepName } from './steps-final';
import { uploadAll, type UploadOutcome } from './uploads';

type Step = StepName | 'review';

const TITLE: Record<Step, MessageKey> = {
  channel: 'step.channel',
  details: 'step.details',
  exclusions: 'step.exclusions',
  attachments: 'step.attachments',
  identity: 'step.identity',
  review: 'step.review',
};

const SEND_STAGES: Stage[] = ['argon2', 'seal', 'pow', 'send'];

/**
 * The intake wizard. State lives in this component only: the URL never changes and
 * nothing is written to storage, so closing the tab leaves no draft behind.
 */
export function Wizard({ intake, onExit, onBehalf }: {
  intake: Intake; onExit: () => void;
  /** An intake officer recording, in their browser, a report received by telephone, in person or by letter. */
  onBehalf?: 'hotline' | 'walk_in' | 'letter';
}) {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [step, setStep] = useState<Step>('channel');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [sending, setSending] = useState<Progress | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const [uploads, setUploads] = useState<UploadOutcome | null>(null);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const abort = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const context = intake.contexts.find((c) => c.id === draft.contextId) ?? null;
  const steps: Step[] = ['channel', 'details', 'exclusions', 'attachments', ...(context?.channel === 'internal' ? (['identity'] as Step[]) : []), 'review'];
  const index = steps.indexOf(step);

  // Each step starts at its heading, so keyboard and screen reader users know where they are.
  useEffect(() => heading.current?.focus(), [step, submitted === null]);

  const update = (patch: Partial<Draft>) => {
    // Any change means a new sealed report: a cached one would hold the old text.
    setDraft((d) => ({ ...d, ...patch, draftId: newDraftId() }));
    setErrors([]);
  };

  const problems = (s: Step): FieldError[] => {
    if (s === 'channel') return channelErrors(draft);
    if (!context) return [];
    if (s === 'details') return detailErrors(draft, context, intake.limits.reportMaxBytes);
    if (s === 'exclusions') return exclusionErrors(draft, context);
    if (s === 'identity') return identityErrors(draft);
    return [];
  };

  const next = () => {
    const found = problems(step);
    setErrors(found);
    if (found.length > 0) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    setStep(steps[index + 1] ?? 'review');
  };
  const back = () => {
    setErrors([]);
    if (index === 0) onExit();
    else setStep(steps[index - 1]!);
  };

  const send = async () => {
    if (!context) return;
    const controller = new AbortController();
    abort.current = controller;
    setSendError(null);
    setSending({ stage: 'argon2' });
    try {
      const args = { ...submitArgs(draft, context, language()), ...(onBehalf ? { onBehalf } : {}) };
      const result = await cryptoWorker().call('submitReport', args, { onProgress: setSending, signal: controller.signal });
      setSending(null);
      let outcome: UploadOutcome | null = null;
      if (draft.files.length > 0) {
        outcome = await uploadAll(result.handle, draft.files, setUploads);
      }
      setUploads(null);
      setSubmitted({ receipt: result.receipt, reference: result.reference, handle: result.handle, uploads: outcome });
      setDraft(emptyDraft());
    } catch (e) {
      setSending(null);
      setSendError(e);
    } finally {
      abort.current = null;
    }
  };

  if (submitted) return <ReceiptPage submitted={submitted} onDone={onExit} onBehalf={onBehalf !== undefined} />;

  if (uploads) {
    return (
      <section aria-labelledby="wizard-title">
        <h1 id="wizard-title" ref={heading} tabIndex={-1}>
          {t('uploads.title')}
        </h1>
        <p>{t('uploads.intro', { done: uploads.done.length + uploads.failed.length, total: draft.files.length })}</p>
        {uploads.current && <ProgressSteps stages={['encrypt', 'upload']} current={uploads.current.progress} onCancel={uploads.current.cancel} />}
      </section>
    );
  }

  const stepTitle = t(TITLE[step]);
  return (
    <section aria-labelledby="wizard-title" class="wizard">
      <p class="step-count">{t('step.count', { n: index + 1, total: steps.length })}</p>
      <h1 id="wizard-title" ref={heading} tabIndex={-1}>
        {stepTitle}
      </h1>
      <ErrorSummary title={t('form.fixThese')} errors={errors} />
      {step === 'channel' && <StepChannel draft={draft} update={update} contexts={intake.contexts} errors={errors} />}
      {context && step === 'details' && <StepDetails draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'exclusions' && <StepExclusions draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'attachments' && <StepAttachments draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'identity' && <StepIdentity draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'review' && <StepReview draft={draft} context={context} onEdit={(s) => setStep(s)} />}

      {sending && <ProgressSteps stages={onBehalf ? SEND_STAGES.filter((s) => s !== 'pow') : SEND_STAGES} current={sending} onCancel={() => abort.current?.abort()} />}
      <ErrorBox error={sendError}>
        <p>{t('send.retryHint')}</p>
      </ErrorBox>

      {!sending && (
        <div class="actions">
          <button type="button" class="secondary" onClick={back}>
            {index === 0 ? t('action.cancel') : t('action.back')}
          </button>
          {step === 'review' ? (
            <button type="button" class="primary" onClick={send}>
              {sendError ? t('send.retry') : t('send.button')}
            </button>
          ) : (
            <button type="button" class="primary" onClick={next}>
              {t('action.next')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
