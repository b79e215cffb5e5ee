import { isRole, may, PERMISSIONS, ROLES } from './roles';

describe('roles', () => {
  it('when a person holds several roles, then they may do what any of them allows', () => {
    expect(may(['custodian', 'investigator'], 'handleCases')).toBe(true);
    expect(may(['custodian', 'investigator'], 'decideIdentity')).toBe(true);
    expect(may(['custodian', 'investigator'], 'administer')).toBe(false);
  });

  it('when the permissions are listed, then only supervisors reopen or revoke, and analysts only see statistics', () => {
    expect(PERMISSIONS.reopenCases).toEqual(['supervisor']);
    expect(PERMISSIONS.revokeGrants).toEqual(['supervisor']);
    expect(ROLES.filter((r) => may([r], 'handleCases'))).toEqual(['supervisor', 'investigator']);
    expect(ROLES.filter((r) => may(['analyst'], 'viewStatistics') && r === 'analyst')).toEqual(['analyst']);
    expect(may(['analyst'], 'handleCases')).toBe(false);
  });

  it('when a string is checked, then only the five roles are roles', () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(may([], 'handleCases')).toBe(false);
  });
});
