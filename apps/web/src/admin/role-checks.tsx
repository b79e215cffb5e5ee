import { language, t, type MessageKey } from '../i18n';

export const ROLES = ['admin', 'supervisor', 'investigator', 'custodian', 'analyst', 'intake'] as const;

export const ROLE_LABEL: Record<string, MessageKey> = {
  admin: 'admin.role.admin',
  supervisor: 'admin.role.supervisor',
  investigator: 'admin.role.investigator',
  custodian: 'admin.role.custodian',
  analyst: 'admin.role.analyst',
  intake: 'admin.role.intake',
};

/** A role as people call it, in the reader's language ("Enquêteur"); the raw name only if unknown. */
export const roleName = (role: string): string => (ROLE_LABEL[role] ? t(ROLE_LABEL[role]) : role);

/** The roles as a list in the reader's language ("Investigator and Identity custodian"). */
export const roleNames = (roles: string[]): string => new Intl.ListFormat(language(), { style: 'long', type: 'conjunction' }).format(roles.map(roleName));

/** The roles as checkboxes in one fieldset; a person may hold several, and must hold at least one. */
export function RoleChecks({ id, legend, value, onValue, error }: { id: string; legend: string; value: string[]; onValue: (r: string[]) => void; error?: string | null }) {
  return (
    <fieldset id={id} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined}>
      <legend>
        {legend}
        <span class="required-mark" aria-hidden="true"> *</span>
        <span class="visually-hidden"> {t('admin.required')}</span>
      </legend>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="role-checks">
        {ROLES.map((r) => (
          <div class="check" key={r}>
            <input
              type="checkbox"
              id={`${id}-${r}`}
              checked={value.includes(r)}
              onChange={(e) => onValue(e.currentTarget.checked ? [...value, r] : value.filter((x) => x !== r))}
            />
            <label for={`${id}-${r}`}>{t(ROLE_LABEL[r]!)}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
