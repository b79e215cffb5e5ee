import { t } from '../i18n';
import type { Problem } from './admin-api';

/**
 * The server's refusal in its own words, with the field issues that are not already shown next to
 * their field (`atFields`): an error is said once, where the person can fix it.
 */
export function ProblemBox({ problem, atFields = [] }: { problem: Problem | null; atFields?: string[] }) {
  if (!problem) return null;
  const issues = problem.issues.filter((i) => !atFields.includes(i.field));
  const allAtFields = problem.issues.length > 0 && issues.length === 0;
  return (
    <div class="notice error" role="alert">
      <p>{t(allAtFields ? 'admin.refusedAtFields' : 'admin.refused', { status: problem.status })}</p>
      {problem.error && !allAtFields && (
        <p class="detail">
          <span dir="auto">{problem.error}</span>
        </p>
      )}
      {issues.length > 0 && (
        <ul>
          {issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code dir="ltr">{i.field}</code> <span dir="auto">{i.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The issues about a whole list (`field`) or the whole body, above the list they concern. */
export function ListIssues({ problem, field }: { problem: Problem | null; field: string }) {
  const issues = problem?.issues.filter((i) => i.field === field || i.field === '(body)') ?? [];
  if (issues.length === 0) return null;
  return (
    <ul class="field-error">
      {issues.map((i) => (
        <li key={i.message} dir="auto">
          {i.message}
        </li>
      ))}
    </ul>
  );
}

export function Done({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p class="notice success" role="status">
      {text}
    </p>
  );
}
