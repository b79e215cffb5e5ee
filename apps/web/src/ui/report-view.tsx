import type { ReportBody } from '../crypto/protocol';
import { t } from '../i18n';

/** A decrypted report as question → answer pairs, or a clear error when it could not be opened. */
export function ReportView({ report }: { report: ReportBody | null }) {
  if (!report) return <p class="notice error">{t('error.decrypt')}</p>;
  return (
    <dl class="report-view">
      {report.answers.map((a) => (
        <div key={a.id}>
          <dt dir="auto">{a.label}</dt>
          <dd class="prewrap" dir="auto">
            {a.value}
          </dd>
        </div>
      ))}
      {report.text && (
        <div>
          <dt>{t('details.freeText')}</dt>
          <dd class="prewrap" dir="auto">
            {report.text}
          </dd>
        </div>
      )}
    </dl>
  );
}
