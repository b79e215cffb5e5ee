import { useEffect, useRef, useState } from 'preact/hooks';
import { ReportView } from '../ui/report-view';
import type { Progress, ReceiptCheckResult, ReporterCaseView } from '../crypto/protocol';
import { CryptoCallError, cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { ProgressSteps } from '../ui/progress';
import { SubmitRow } from '../ui/submit-row';
import { CaseFiles } from './case-files';
import { CaseMessages } from './case-messages';
import { deadlines, StatusTimeline } from './status-timeline';
import './reporter.css';

function typoMessage(check: Extract<ReceiptCheckResult, { ok: false }>): string {
  if (check.reason === 'symbol') return t('receipt.typo.symbol', { group: check.group ?? 1 });
  if (check.reason === 'length') return t('receipt.typo.length', { count: check.count });
  return t('receipt.typo.check');
}

/** Follow-up: the receipt opens the case in the worker; the receipt itself is not kept. */
export function FollowUp() {
  const [input, setInput] = useState('');
  const [typo, setTypo] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [noMatch, setNoMatch] = useState(false);
  const [opened, setOpened] = useState<{ handle: string; view: ReporterCaseView } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [opened === null]);

  const open = async (e: Event) => {
    e.preventDefault();
    setTypo(null);
    setError(null);
    setNoMatch(false);
    const worker = cryptoWorker();
    try {
      const check = await worker.call('checkReceipt', { input });
      if (!check.ok) {
        setTypo(typoMessage(check));
        requestAnimationFrame(() => document.getElementById('receipt-input')?.focus());
        return;
      }
      setProgress({ stage: 'argon2' });
      const result = await worker.call('openCase', { receipt: check.formatted }, { onProgress: setProgress });
      setInput('');
      setOpened(result);
    } catch (err) {
      if (err instanceof CryptoCallError && err.error.code === 'unauthenticated') setNoMatch(true);
      else setError(err);
    } finally {
      setProgress(null);
    }
  };

  const close = async () => {
    if (opened) await cryptoWorker().call('forget', { handle: opened.handle }).catch(() => null);
    setOpened(null);
  };

  if (opened) {
    return <CaseView handle={opened.handle} initial={opened.view} onClose={close} heading={heading} />;
  }

  return (
    <section aria-labelledby="follow-title" class="follow-up">
      <h1 id="follow-title" ref={heading} tabIndex={-1}>
        {t('followUp.title')}
      </h1>
      <p>{t('followUp.intro')}</p>
      <form onSubmit={open} noValidate>
        <div class={`field ${typo ? 'invalid' : ''}`}>
          <label for="receipt-input">{t('followUp.receiptLabel')}</label>
          <p class="hint" id="receipt-input-hint">
            {t('followUp.receiptHint')}
          </p>
          {typo && (
            <p class="field-error" id="receipt-input-error" role="alert">
              {typo}
            </p>
          )}
          <input
            id="receipt-input"
            class="receipt-input"
            dir="ltr"
            type="text"
            value={input}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            aria-invalid={typo ? 'true' : undefined}
            aria-describedby={typo ? 'receipt-input-hint receipt-input-error' : 'receipt-input-hint'}
            onInput={(e) => setInput(e.currentTarget.value)}
          />
        </div>
        <SubmitRow label={t('followUp.open')} busy={progress && <ProgressSteps stages={['argon2', 'pow', 'open']} current={progress} />} />
      </form>
      {noMatch && (
        <p class="notice error" role="alert">
          {t('followUp.noMatch')}
        </p>
      )}
      <ErrorBox error={error} />
      <p>
        <a href="/">{t('followUp.newReport')}</a>
      </p>
    </section>
  );
}

function CaseView({ handle, initial, onClose, heading }: { handle: string; initial: ReporterCaseView; onClose: () => void; heading: { current: HTMLHeadingElement | null } }) {
  const [view, setView] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const refresh = async () => {
    setRefreshing(true);
    setError(null);
    try {
      setView(await cryptoWorker().call('refreshCase', { handle }));
    } catch (e) {
      setError(e);
    } finally {
      setRefreshing(false);
    }
  };
  return (
    <section aria-labelledby="case-title" class="case-view">
      <div class="case-header">
        <h1 id="case-title" ref={heading} tabIndex={-1}>
          {t('case.title', { reference: view.reference })}
        </h1>
        <div class="actions">
          <button type="button" class="secondary" onClick={refresh} disabled={refreshing}>
            {refreshing ? t('case.refreshing') : t('case.refresh')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {t('case.close')}
          </button>
        </div>
      </div>
      <CaseNews view={view} />
      <ErrorBox error={error} />
      <StatusTimeline view={view} />
      <CaseMessages handle={handle} view={view} onView={setView} />
      <CaseFiles handle={handle} view={view} onChanged={refresh} />
      <details class="panel">
        <summary>{t('case.yourReport')}</summary>
        <ReportView report={view.report} />
      </details>
    </section>
  );
}

function focusMessages(): void {
  const heading = document.getElementById('messages-title');
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}

/**
 * What the reporter came back for, at the top: a reply waiting (the team wrote last) and when to
 * check again (the next deadline of the case), and whether their identity was disclosed.
 */
function CaseNews({ view }: { view: ReporterCaseView }) {
  const last = view.messages[view.messages.length - 1];
  const replyWaiting = last?.author === 'staff';
  const { acknowledgeBy, feedbackBy } = deadlines(view);
  const closed = view.status === 'closed';
  return (
    <div class="case-news">
      {replyWaiting && (
        <p class="notice info reply-waiting">
          <strong>{t('case.replyWaiting')}</strong>{' '}
          <button type="button" class="link" onClick={() => focusMessages()}>
            {t('case.readReply')}
          </button>
        </p>
      )}
      {view.identityDisclosedAt && <p class="notice warning">{t('case.identityDisclosed', { date: formatDate(view.identityDisclosedAt) })}</p>}
      {!closed && (
        <p class="check-back">
          {view.acknowledgedAt ? t('case.checkBackFeedback', { date: formatDate(feedbackBy) }) : t('case.checkBackAck', { date: formatDate(acknowledgeBy) })}
        </p>
      )}
    </div>
  );
}
