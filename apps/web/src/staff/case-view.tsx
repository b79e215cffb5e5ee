import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StaffCaseDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { statusName } from '../reporter/status-timeline';
import { CaseFiles } from '../ui/case-files';
import { ErrorBox } from '../ui/error-box';
import { ReportView } from '../ui/report-view';
import { OlderMessagesButton, useOlderMessages } from '../ui/older-messages';
import { TextForm, Thread } from '../ui/thread';
import { CaseExport } from './case-export';
import { CaseHolders } from './case-holders';
import { CaseIdentity } from './case-identity';
import { CaseStatus, outcomeSuffix } from './case-status';
import { assigneeText, channelName, intakeChannelName, languageName, PriorityCell } from './case-facts';
import { countdown } from './countdown';

const NO_MESSAGES: StaffCaseDetail['messages'] = [];

/** One case as a holder sees it: facts, report, dialogue, notes, status, files and holders. */
export function StaffCase({ caseId, onBack, heading }: { caseId: string; onBack: () => void; heading: Ref<HTMLHeadingElement> }) {
  const [detail, setDetail] = useState<StaffCaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    cryptoWorker().call('staffCase', { caseId }).then(setDetail, setError);
  }, [caseId]);

  const pages = useOlderMessages(detail?.messages ?? NO_MESSAGES, detail?.olderMessages ?? null, (before) => cryptoWorker().call('staffOlderMessages', { caseId, before }));

  if (error) {
    return (
      <section>
        <ErrorBox error={error} />
        <button type="button" class="secondary" onClick={onBack}>
          {t('staff.backToInbox')}
        </button>
      </section>
    );
  }
  if (!detail) return <p role="status">{t('app.loading')}</p>;
  const s = detail.summary;
  const due = s.dueAt ? countdown(s.dueAt) : null;

  return (
    <section aria-labelledby="staff-case-title" class="case-view">
      <button type="button" class="link" onClick={onBack}>
        {t('staff.backToInbox')}
      </button>
      <h1 id="staff-case-title" ref={heading} tabIndex={-1}>
        {t('case.title', { reference: s.reference })}
      </h1>
      <dl class="facts">
        <div>
          <dt>{t('inbox.status')}</dt>
          <dd>
            {statusName(s.status)}
            {outcomeSuffix(s.outcome)}
          </dd>
        </div>
        <div>
          <dt>{t('inbox.priority')}</dt>
          <dd>
            <PriorityCell c={s} />
          </dd>
        </div>
        <div>
          <dt>{t('inbox.category')}</dt>
          <dd dir="auto">{s.categoryName ?? s.categoryId}</dd>
        </div>
        <div>
          <dt>{t('inbox.region')}</dt>
          <dd dir="auto">{s.regionName ?? s.regionId ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('inbox.channel')}</dt>
          <dd>
            {channelName(s.channel)} · <bdi>{s.contextName}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t('inbox.receivedBy')}</dt>
          <dd>{intakeChannelName(s.intakeChannel)}</dd>
        </div>
        <div>
          <dt>{t('inbox.assignee')}</dt>
          <dd dir="auto">{assigneeText(s)}</dd>
        </div>
        <div>
          <dt>{t('inbox.received')}</dt>
          <dd>{formatDate(s.receivedAt, true)}</dd>
        </div>
        <div>
          <dt>{t('inbox.due')}</dt>
          <dd class={due?.overdue ? 'overdue-text' : ''}>{s.dueAt && due ? `${formatDate(s.dueAt)} (${due.text})` : '—'}</dd>
        </div>
        <div>
          <dt>{t('staff.languageOfReporter')}</dt>
          <dd>{languageName(s.language)}</dd>
        </div>
      </dl>
      <CaseExport caseId={caseId} />

      <section aria-labelledby="report-title" class="panel">
        <h2 id="report-title">{t('staff.report')}</h2>
        <ReportView report={detail.report} />
        {detail.hasIdentity && !detail.identity && <p class="notice info">{t('staff.identitySealed')}</p>}
      </section>
      <CaseIdentity caseId={caseId} detail={detail} onChanged={setDetail} />

      <section aria-labelledby="dialogue-title">
        <h2 id="dialogue-title">{t('staff.dialogue')}</h2>
        <OlderMessagesButton pages={pages} />
        <Thread
          empty={t('messages.none')}
          items={pages.messages.map((m) => ({
            id: m.id,
            // The classes are named from the reporter's page, where "reporter" is the reader's own side.
            class: m.author === 'staff' ? 'reporter' : 'staff',
            who: m.author === 'reporter' ? t('staff.reporter') : (m.authorName ?? t('messages.fromStaff')),
            createdAt: m.createdAt,
            text: m.text,
          }))}
        />
        <TextForm
          id="staff-reply"
          label={t('staff.reply')}
          hint={t('staff.replyHint')}
          button={t('messages.send')}
          done={t('messages.sent')}
          rows={3}
          send={async (text) => setDetail(await cryptoWorker().call('staffMessage', { caseId, text }))}
        />
      </section>

      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('staff.notes')}</h2>
        <Thread
          empty={t('staff.noNotes')}
          items={detail.notes.map((n) => ({ id: n.id, class: 'note', who: n.authorName, createdAt: n.createdAt, text: n.text }))}
        />
        <TextForm
          id="staff-note"
          label={t('staff.addNote')}
          hint={t('staff.noteHint')}
          button={t('staff.saveNote')}
          done={t('staff.noteSaved')}
          rows={3}
          send={async (text) => setDetail(await cryptoWorker().call('staffNote', { caseId, text }))}
        />
      </section>

      <CaseStatus caseId={caseId} detail={detail} onChanged={setDetail} />

      <CaseFiles
        titleId="staff-files-title"
        inputId="staff-file-input"
        files={detail.files}
        damagedFiles={detail.damagedFiles}
        reporterLabel={t('staff.reporter')}
        canAdd
        preview
        download={(fileId, transfer) => cryptoWorker().call('staffDownload', { caseId, fileId }, transfer)}
        upload={async (file, transfer) => setDetail(await cryptoWorker().call('staffUpload', { caseId, file }, transfer))}
      />

      <CaseHolders caseId={caseId} detail={detail} onChanged={setDetail} onRecused={onBack} />
    </section>
  );
}
