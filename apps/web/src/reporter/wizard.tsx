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
import { clearDraft, hasContent, loadDraft, saveDraft } from './draft-store';
import { isLeaving } from '../ui/leave-quickly';

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

/** The step this history entry shows, if it is one ("/" keeps its URL; the step lives in history.state). */
export function stepInHistory(state: unknown = history.state): Step | null {
  const s = (state as { sautiStep?: unknown } | null)?.sautiStep;
  return typeof s === 'string' && s in TITLE ? (s as Step) : null;
}

const entry = (step: Step | 'receipt') => ({ sautiStep: step });

/**
 * The intake wizard. Each step is a history entry of "/" (history.state), so the browser's Back
 * and Forward move between steps; the draft is kept in this tab's sessionStorage so that a reload
 * keeps it (draft-store.ts explains why there and nowhere else), and the browser asks before the
 * tab is closed while a draft is unsent. "Change" on the review step comes straight back to it.
 */
export function Wizard({ intake, onExit, onBehalf }: {
  intake: Intake; onExit: () => void;
  /** An intake officer recording, in their browser, a report received by telephone, in person or by letter. */
  onBehalf?: 'hotline' | 'walk_in' | 'letter';
}) {
  const [restored] = useState(() => loadDraft());
  const [draft, setDraft] = useState<Draft>(() => (restored ? { ...emptyDraft(), ...restored.draft, files: restored.files ?? [] } : emptyDraft()));
  const [step, setStep] = useState<Step>(() => stepInHistory() ?? 'channel');
  const [returnToReview, setReturnToReview] = useState(false);
  // Said once, on the step shown after a reload brought the draft back.
  const [showRestored, setShowRestored] = useState(() => restored !== null && restored.files === undefined);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [sending, setSending] = useState<Progress | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const [uploads, setUploads] = useState<UploadOutcome | null>(null);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const abort = useRef<AbortController | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const context = intake.contexts.find((c) => c.id === draft.contextId) ?? null;
  const steps: Step[] = ['channel', 'details', 'exclusions', 'attachments', ...(context?.channel === 'internal' ? (['identity'] as Step[]) : []), 'review'];
  const index = Math.max(0, steps.indexOf(step));
  const filesToChooseAgain = restored && restored.fileCount > 0 && draft.files.length === 0 ? restored.fileCount : 0;

  // Each step starts at its heading, so keyboard and screen reader users know where they are.
  useEffect(() => heading.current?.focus(), [step, submitted === null]);

  useEffect(() => {
    if (!submitted) saveDraft(draft);
  }, [draft, submitted]);

  // Closing the tab would lose an unsent draft (a reload keeps it, but the browser cannot tell us which).
  useEffect(() => {
    if (submitted || !hasContent(draft)) return undefined;
    const warn = (e: BeforeUnloadEvent) => {
      if (!isLeaving()) e.preventDefault();
    };
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [submitted, hasContent(draft)]);

  const problems = (s: Step): FieldError[] => {
    if (s === 'channel') return channelErrors(draft);
    if (!context) return [];
    if (s === 'details') return detailErrors(draft, context, intake.limits.reportMaxBytes);
    if (s === 'exclusions') return exclusionErrors(draft, context);
    if (s === 'identity') return identityErrors(draft);
    return [];
  };
  /** The first step before `target` that still has problems: Forward or a reload never skips one. */
  const reachable = (target: Step): Step => steps.slice(0, Math.max(0, steps.indexOf(target))).find((s) => problems(s).length > 0) ?? (steps.includes(target) ? target : 'channel');

  // A restored step must be reachable with the restored draft (history.state could point past a problem).
  useEffect(() => {
    const ok = reachable(step);
    if (ok !== step) {
      history.replaceState(entry(ok), '');
      setStep(ok);
    }
    if (!stepInHistory()) history.replaceState(entry(ok), '');
  }, []);

  // Back and Forward: move between steps; before the first step, back to the landing page.
  useEffect(() => {
    const onPop = (e: PopStateEvent) => {
      if (submitted) {
        // The receipt is shown once: Back does not take it away before "I have saved it".
        history.pushState(entry('receipt'), '');
        return;
      }
      const target = stepInHistory(e.state);
      setErrors([]);
      if (!target) {
        onExit();
        return;
      }
      const ok = reachable(target);
      if (ok !== target) history.replaceState(entry(ok), '');
      setShowRestored(false);
      setStep(ok);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  });

  const update = (patch: Partial<Draft>) => {
    // Any change means a new sealed report: a cached one would hold the old text.
    setDraft((d) => ({ ...d, ...patch, draftId: newDraftId() }));
    setErrors([]);
  };

  const go = (target: Step) => {
    setShowRestored(false);
    history.pushState(entry(target), '');
    setStep(target);
  };

  const next = () => {
    const found = problems(step);
    setErrors(found);
    if (found.length > 0) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    if (returnToReview) {
      // Straight back to the review, unless the change made a later step incomplete (e.g. another channel).
      const target = reachable('review');
      if (target === 'review') setReturnToReview(false);
      go(target);
      return;
    }
    go(steps[index + 1] ?? 'review');
  };
  const back = () => {
    setErrors([]);
    if (index === 0) {
      clearDraft();
      history.replaceState(null, '');
      onExit();
    } else {
      history.back();
    }
  };
  const edit = (s: StepName) => {
    setReturnToReview(true);
    go(s);
  };

  const send = async () => {
    if (!context) return;
    const controller = new AbortController();
    abort.current = controller;
    setSendError(null);
    setSending({ stage: 'argon2' });
    try {
      const args = { ...submitArgs(draft, context, language()), ...(onBehalf ? { onBehalf, withAttachments: draft.files.length > 0 } : {}) };
      const result = await cryptoWorker().call('submitReport', args, { onProgress: setSending, signal: controller.signal });
      // The server has the report: nothing of it stays in the tab's storage.
      clearDraft();
      history.replaceState(entry('receipt'), '');
      setSending(null);
      let outcome: UploadOutcome | null = null;
      if (draft.files.length > 0) {
        outcome = await uploadAll(result.handle, draft.files, setUploads);
      }
      setUploads(null);
      setSubmitted({ receipt: result.receipt, reference: result.reference, handle: result.handle, uploads: outcome, acknowledgeDays: context.acknowledgeDays, feedbackDays: context.feedbackDays });
      setDraft(emptyDraft());
    } catch (e) {
      setSending(null);
      setSendError(e);
    } finally {
      abort.current = null;
    }
  };

  const done = () => {
    history.replaceState(null, '');
    onExit();
  };

  if (submitted) return <ReceiptPage submitted={submitted} onDone={done} onBehalf={onBehalf !== undefined} />;

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
      {showRestored && (
        <p class="notice info" role="status">
          {t('draft.restored')}
        </p>
      )}
      {filesToChooseAgain > 0 && (step === 'attachments' || step === 'review') && <p class="notice warning">{t('attachments.chooseAgain', { n: filesToChooseAgain })}</p>}
      {step === 'channel' && <StepChannel draft={draft} update={update} contexts={intake.contexts} errors={errors} />}
      {context && step === 'details' && <StepDetails draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'exclusions' && <StepExclusions draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'attachments' && <StepAttachments draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'identity' && <StepIdentity draft={draft} update={update} context={context} errors={errors} />}
      {context && step === 'review' && <StepReview draft={draft} context={context} onEdit={edit} />}

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
              {returnToReview ? t('review.return') : t('action.next')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
