import type { ReporterCaseView } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { CaseFiles as Files } from '../ui/case-files';

/** The reporter's files: added until the case is closed, each download decrypted in the worker. */
export function CaseFiles({ handle, view, onChanged }: { handle: string; view: ReporterCaseView; onChanged: () => Promise<void> }) {
  return (
    <Files
      titleId="files-title"
      inputId="case-file-input"
      files={view.files}
      damagedFiles={view.damagedFiles}
      reporterLabel={t('messages.fromYou')}
      hint={t('attachments.metadata')}
      canAdd={view.status !== 'closed'}
      download={(fileId, transfer) => cryptoWorker().call('downloadFile', { handle, fileId }, transfer)}
      upload={async (file, transfer) => void (await cryptoWorker().call('uploadFile', { handle, file }, transfer))}
      afterUpload={onChanged}
    />
  );
}
