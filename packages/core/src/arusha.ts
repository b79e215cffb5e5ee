/**
 * The ten key factors of the Revised Arusha Declaration (WCO, 2003), as stable ids. Survey
 * questions and monitoring indicators are tagged with exactly one of them. Display names live in
 * the web app's catalogues; these ids never change.
 */
export const ARUSHA_FACTORS = [
  'leadership',
  'regulatory-framework',
  'transparency',
  'automation',
  'reform-modernisation',
  'audit-investigation',
  'code-of-conduct',
  'human-resources',
  'morale-culture',
  'private-sector',
] as const;
export type ArushaFactor = (typeof ARUSHA_FACTORS)[number];

export function isArushaFactor(value: string): value is ArushaFactor {
  return (ARUSHA_FACTORS as readonly string[]).includes(value);
}
