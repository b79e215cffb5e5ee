import { listIntakeContexts, type Db, type IntakeContextRow } from '@sauti/db';

/** The open contexts a reporter can choose from, with the people each report is sealed to. */
export async function openContexts(pool: Db): Promise<IntakeContextRow[]> {
  return listIntakeContexts(pool);
}
