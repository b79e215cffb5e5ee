import { useState } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { saveBlob } from '../ui/save-blob';

/** Saves what the holder can see of the case as one file of ciphertext, for archiving or handover. */
export function CaseExport({ caseId }: { caseId: string }) {
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  const exportCase = async () => {
    setExported(null);
    setError(null);
    setExporting(true);
    try {
      const r = await cryptoWorker().call('staffExport', { caseId });
      saveBlob(r.blob, r.name);
      setExported(r.name);
    } catch (err) {
      setError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <div class="actions">
        <button type="button" class="secondary" disabled={exporting} aria-describedby="case-export-hint" onClick={() => void exportCase()}>
          {t('staff.export')}
        </button>
      </div>
      <p class="hint" id="case-export-hint">
        {t('staff.exportHint')}
      </p>
      <p role="status">{exported ? t('staff.exported', { name: exported }) : ''}</p>
      <ErrorBox error={error} />
    </>
  );
}
