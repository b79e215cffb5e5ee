/**
 * The ten factors of the WCO Revised Arusha Declaration (2003) on good governance and integrity in
 * customs. Case categories map to one or more of them (issue 14), so that integrity monitoring can
 * say where risks concentrate in the terms an A-CIP report uses. The ids are stable wire values.
 */
export const ARUSHA_FACTORS = [
  { id: 'leadership', name: 'Leadership and commitment' },
  { id: 'regulatory_framework', name: 'Regulatory framework' },
  { id: 'transparency', name: 'Transparency' },
  { id: 'automation', name: 'Automation' },
  { id: 'reform_modernisation', name: 'Reform and modernisation' },
  { id: 'audit_investigation', name: 'Audit and investigation' },
  { id: 'code_of_conduct', name: 'Code of conduct' },
  { id: 'human_resources', name: 'Human resource management' },
  { id: 'morale_culture', name: 'Morale and organisational culture' },
  { id: 'private_sector', name: 'Relationship with the private sector' },
] as const;

export type ArushaFactorId = (typeof ARUSHA_FACTORS)[number]['id'];
export const ARUSHA_FACTOR_IDS = ARUSHA_FACTORS.map((f) => f.id) as unknown as readonly [ArushaFactorId, ...ArushaFactorId[]];

export function isArushaFactor(value: string): value is ArushaFactorId {
  return (ARUSHA_FACTOR_IDS as readonly string[]).includes(value);
}

/**
 * The demo organisation's customs categories and the factors each concerns. A deployment edits
 * its own mapping (admin → Categories and Arusha factors); this is only a sensible start.
 */
export const DEMO_CATEGORY_FACTORS: Record<string, readonly ArushaFactorId[]> = {
  'bribery-extortion': ['code_of_conduct', 'automation', 'private_sector'],
  undervaluation: ['regulatory_framework', 'automation', 'audit_investigation'],
  'smuggling-collusion': ['audit_investigation', 'private_sector', 'code_of_conduct'],
  'abuse-of-office': ['leadership', 'code_of_conduct'],
  procurement: ['transparency', 'audit_investigation'],
  'recruitment-favouritism': ['human_resources', 'morale_culture'],
  'leaking-information': ['code_of_conduct', 'private_sector'],
  other: [],
};
