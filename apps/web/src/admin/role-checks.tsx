import { t, type MessageKey } from '../i18n';

export const ROLES = ['admin', 'supervisor', 'investigator', 'custodian', 'analyst'] as const;

export const ROLE_LABEL: Record<string, MessageKey> = {
  admin: 'admin.role.admin',
  supervisor: 'admin.role.supervisor',
  investigator: 'admin.role.investigator',
  custodian: 'admin.role.custodian',
  analyst: 'admin.role.analyst',
};

export const roleNames = (roles: string[]) => roles.map((r) => (ROLE_LABEL[r] ? t(ROLE_LABEL[r]) : r)).join(', ');

/** The five roles as checkboxes in one fieldset; a person may hold several. */
export function RoleChecks({ id, legend, value, onValue, error }: { id: string; legend: string; value: string[]; onValue: (r: string[]) => void; error?: string | null }) {
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
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
