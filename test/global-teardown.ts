import { dropDatabase } from './helpers/database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.SAUTI_TEST_TEMPLATE_DB;
  if (!template) return;
  await dropDatabase(template);
}
