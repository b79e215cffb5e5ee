import type { OpenedReport } from '../crypto/protocol';
import { t } from '../i18n';

/**
 * A decrypted report as question → answer pairs, or a clear error when it could not be opened.
 * A report that does not follow docs/protocol.md §9 (or has an unknown version) is shown as far as
 * it could be read, under a notice saying so.
 */
export function ReportView({ report }: { report: OpenedReport | null }) {
  if (!report) return <p class="notice error">{t('error.decrypt')}</p>;
  return (
    <>
      {report.problem && (
        <p class="notice warning" role="status">
          {t(report.problem === 'unknown_version' ? 'report.unknownVersion' : 'report.malformed')}
        </p>
      )}
      <dl class="report-view">
        {report.answers.map((a, i) => (
          <div key={`${i}-${a.id}`}>
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
    </>
  );
}
