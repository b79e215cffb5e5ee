import { listIntakeContexts, type Db, type IntakeContextCache, type IntakeContextRow } from '@sauti/db';

/**
 * The open contexts a reporter can choose from, with the people each report is sealed to: from the
 * api's cache (dropped on every notified admin change) when there is one.
 */
export async function openContexts(pool: Db, cache?: IntakeContextCache): Promise<IntakeContextRow[]> {
  return cache ? cache.get() : listIntakeContexts(pool);
}
