import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CodesCreated, IterationSummary, SurveySummary } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, language, t, type MessageKey } from '../i18n';
import { pick } from '../survey/texts';
import { TextArea } from '../ui/field';
import { NumberInput } from '../ui/number-field';
import { SubmitRow } from '../ui/submit-row';
import { DataTable } from '../ui/data-table';
import { ErrorBox } from '../ui/error-box';
import { SurveyResults } from './survey-results';
import { SurveyEditor } from './survey-editor';
import { draftOf, emptyDraft, loadEditorDraft, type EditorDraft } from './survey-editor-draft';

/** Splits pasted text (lines, commas, semicolons, spaces) into addresses, dropping blanks. */
const parseAddressList = (text: string): string[] => text.split(/[\s,;]+/).filter((e) => e.length > 0);

const day = (d: string) => formatDate(`${d}T12:00:00Z`);

/** Analysts and admins: surveys, their iterations, invitation codes, and results (issue 15). */
export function Surveys({ heading }: { heading: Ref<HTMLHeadingElement> }) {
  const [list, setList] = useState<SurveySummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<string | null>(null);
  const [codes, setCodes] = useState<(CodesCreated & { iteration: IterationSummary }) | null>(null);
  const [count, setCount] = useState(20);
  const [uses, setUses] = useState(1);
  const [openLink, setOpenLink] = useState(false);
  const [inviting, setInviting] = useState<IterationSummary | null>(null);
  // A draft left in this tab (a reload signs staff out) reopens the editor where it was.
  const [editing, setEditing] = useState<{ draft: EditorDraft; restored: boolean } | null>(() => {
    const stored = loadEditorDraft();
    return stored ? { draft: stored, restored: true } : null;
  });
  const [saved, setSaved] = useState(false);
  const refresh = () => cryptoWorker().call('surveysList', null).then(setList, setError);
  useEffect(() => void refresh(), []);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await refresh();
    } catch (e) {
      setError(e);
    }
  };

  if (editing) {
    return (
      <SurveyEditor
        initial={editing.draft}
        restored={editing.restored}
        heading={heading}
        onDone={(done) => {
          setEditing(null);
          setSaved(done !== null);
          void refresh();
        }}
      />
    );
  }
  if (results) return <SurveyResults iterationId={results} heading={heading} onBack={() => setResults(null)} />;
  if (inviting) return <Invitations iteration={inviting} heading={heading} onBack={() => { setInviting(null); void refresh(); }} />;
  if (codes) {
    return (
      <section class="survey-codes">
        <h1 ref={heading} tabIndex={-1}>{t('surveys.makeCodes')}</h1>
        <p class="notice">{t('surveys.codesShownOnce')}</p>
        <ul class="code-list" dir="ltr">
          {codes.codes.map((c) => <li key={c}>{c}</li>)}
        </ul>
        <div class="actions no-print">
          <button type="button" class="primary" onClick={() => print()}>{t('surveys.print')}</button>
          <button type="button" class="secondary" onClick={() => setCodes(null)}>{t('surveys.back')}</button>
        </div>
      </section>
    );
  }
  return (
    <section class="surveys">
      <h1 ref={heading} tabIndex={-1}>{t('surveys.heading')}</h1>
      <ErrorBox error={error} />
      {saved && <p class="notice success" role="status">{t('surveys.editor.saved')}</p>}
      <div class="actions">
        <button type="button" class="primary" onClick={() => act(() => cryptoWorker().call('surveyCreateFromTemplate', null))}>
          {t('surveys.createFromTemplate')}
        </button>
        <button type="button" class="secondary" onClick={() => { setSaved(false); setEditing({ draft: emptyDraft(language()), restored: false }); }}>
          {t('surveys.createFromScratch')}
        </button>
      </div>
      {list?.length === 0 && <p>{t('surveys.none')}</p>}
      <div class="field">
        <label class="survey-option">
          <input type="checkbox" checked={openLink} onChange={(e) => setOpenLink(e.currentTarget.checked)} />
          <span>{t('surveys.openLink')}</span>
        </label>
      </div>
      <div class="inline-fields">
        <NumberInput id="codes-count" label={t('surveys.codesCount')} value={count} min={1} max={1000} onValue={setCount} />
        <NumberInput id="codes-uses" label={t('surveys.codesUses')} value={uses} min={1} max={1000} onValue={setUses} />
      </div>
      {list?.map((s) => {
        const open = s.iterations.find((i) => i.status === 'open');
        return (
          <article key={s.id} class="survey-card">
            <h2 dir="auto">{pick(s.title)}</h2>
            <p class="muted">{day(s.createdOn)}</p>
            <button type="button" class="secondary" aria-label={`${t('surveys.editor.edit')}: ${pick(s.title)}`}
              onClick={() => act(async () => { setSaved(false); setEditing({ draft: draftOf(s.id, (await cryptoWorker().call('surveyGet', { surveyId: s.id })).definition), restored: false }); })}>
              {t('surveys.editor.edit')}
            </button>{' '}
            {!open && (
              <button type="button" class="secondary" onClick={() => act(() => cryptoWorker().call('surveyOpenIteration', { surveyId: s.id, openLink }))}>
                {t('surveys.openIteration')}
              </button>
            )}
            {s.iterations.length > 0 && (
              <DataTable
                caption={t('surveys.iterations')}
                rows={[...s.iterations].reverse()}
                columns={[
                  { header: t('surveys.iterations'), cell: (i) => t('surveys.iteration', { n: i.number }), rowHeader: true },
                  { header: t('surveys.title'), cell: (i) => `${t(`surveys.status.${i.status}` as MessageKey)} · ${day(i.openedOn)}${i.closedOn ? ` – ${day(i.closedOn)}` : ''}` },
                  { header: t('surveys.responses'), cell: (i) => i.responses },
                  { header: t('surveys.codesRedeemed'), cell: (i) => `${i.codesRedeemed} / ${i.codesIssued}` },
                  { header: t('surveys.link'), cell: (i) => <code>{`${location.origin}/survey/${i.id}`}</code>, dir: 'ltr' },
                ]}
                actions={{
                  header: t('admin.actions'),
                  of: (i) => [
                    { label: t('surveys.showResults'), what: t('surveys.iteration', { n: i.number }), onClick: () => setResults(i.id) },
                    ...(i.status === 'open'
                      ? [
                          { label: t('surveys.makeCodes'), what: t('surveys.iteration', { n: i.number }), onClick: () => act(async () => setCodes({ ...(await cryptoWorker().call('surveyCodes', { iterationId: i.id, count, uses })), iteration: i })) },
                          { label: t('surveys.emailInvitations'), what: t('surveys.iteration', { n: i.number }), onClick: () => setInviting(i) },
                          { label: t('surveys.close', { n: i.number }), what: pick(s.title), onClick: () => act(() => cryptoWorker().call('surveyCloseIteration', { iterationId: i.id })) },
                        ]
                      : []),
                  ],
                }}
              />
            )}
          </article>
        );
      })}
    </section>
  );
}

/**
 * Personal codes e-mailed by the server's worker (docs/protocol.md §10.2a). The addresses are kept
 * on the server only until each e-mail is sent; the codes never come back to this screen.
 */
function Invitations({ iteration, heading, onBack }: { iteration: IterationSummary; heading: Ref<HTMLHeadingElement>; onBack: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<number | null>(null);
  const emails = parseAddressList(text);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSent(null);
    setBusy(true);
    try {
      const { queued } = await cryptoWorker().call('surveyInvitations', { iterationId: iteration.id, emails });
      setSent(queued);
      setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="survey-invitations">
      <h1 ref={heading} tabIndex={-1}>{t('surveys.invitationsHeading', { n: iteration.number })}</h1>
      <p class="notice">{t('surveys.invitationsNote')}</p>
      <ErrorBox error={error} />
      {sent !== null && <p class="notice" role="status">{t('surveys.invitationsQueued', { n: sent })}</p>}
      <form onSubmit={submit}>
        <TextArea id="invitation-emails" label={t('surveys.invitationsLabel')} hint={t('surveys.invitationsHint')} value={text} onValue={setText} rows={8} required />
        <p class="muted" aria-live="polite">{t('surveys.invitationsCount', { n: emails.length })}</p>
        <SubmitRow label={t('surveys.invitationsSend')} busy={busy ? <p class="notice" role="status">{t('surveys.invitationsSending')}</p> : undefined} disabled={busy || emails.length === 0 || emails.length > 1000} />
      </form>
      <div class="actions">
        <button type="button" class="secondary" onClick={onBack}>{t('surveys.back')}</button>
      </div>
    </section>
  );
}
