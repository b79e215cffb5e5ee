/**
 * The client half of scripts/container-smoke.sh: against a Sauti stack running in containers, a
 * reporter submits a report (real proof of work and encryption, packages/client), the worker in its
 * own container triages it, an investigator signs in and decrypts it, and the reporter opens the
 * case again with the receipt. Exits non-zero naming the step that failed.
 *
 *   SMOKE_API_URL=http://127.0.0.1:18080 SMOKE_DATABASE_URL=postgres://sauti:…@127.0.0.1:15432/sauti \
 *     npx tsx scripts/container-smoke-client.ts
 */
import { createPool } from '../packages/db/src';
import { ready } from '../packages/crypto/src';
import { prepareReport, ReporterClient } from '../packages/client/src';
import { seedOrganisation } from '../test/helpers/fixtures';
import { signedInStaff } from '../test/helpers/staff';
import type { TestStack } from '../test/helpers/stack';
import { waitFor } from '../test/helpers/wait';

const apiUrl = process.env.SMOKE_API_URL;
const databaseUrl = process.env.SMOKE_DATABASE_URL;
const REPORT = `SMOKE-CANARY-${Date.now().toString(36)}: the container stack received this report`;

function step(message: string): void {
  process.stdout.write(`  ✓ ${message}\n`);
}

async function main(): Promise<void> {
  if (!apiUrl || !databaseUrl) throw new Error('set SMOKE_API_URL and SMOKE_DATABASE_URL');
  await ready();
  const pool = createPool(databaseUrl);
  try {
    const health = await fetch(`${apiUrl}/readyz`);
    const readiness = (await health.json()) as Record<string, string>;
    if (health.status !== 200) throw new Error(`/readyz answered ${health.status}: ${JSON.stringify(readiness)}`);
    step(`api ready: ${JSON.stringify(readiness)}`);

    // The administration's organisation (contexts have no API yet): straight into the database, as the
    // integration tests do, connected as the stack's own non-superuser role.
    const org = await seedOrganisation(pool, { investigators: 1, withCustodian: false, label: 'smoke' });
    const investigator = org.investigators[0]!;
    step(`organisation seeded as role ${(await pool.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u}`);

    const reporter = new ReporterClient(apiUrl);
    const intake = await reporter.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId);
    if (!context) throw new Error('the seeded context is not in /intake');
    const prepared = prepareReport(intake, { context, body: { text: REPORT }, category: 'bribery-extortion' });
    const answer = await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() });
    if (answer.status !== 201) throw new Error(`submission answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    step(`reporter submitted case ${prepared.request.id}: 201, receipt of ${prepared.receipt.length} characters kept by the reporter only`);

    await waitFor('the worker container to triage the case', async () => {
      const { rows } = await pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [prepared.request.id]);
      return rows[0]?.assignee_id === investigator.id;
    }, 60_000);
    step('worker triaged it to the investigator');

    const stackLike = { pool, api: { url: apiUrl } } as unknown as TestStack;
    const staff = await signedInStaff(stackLike, investigator);
    const list = await staff.listCases({ assignee: 'me' });
    if (list.status !== 200 || !list.body.items.some((c) => c.id === prepared.request.id)) throw new Error(`case list answered ${list.status}`);
    const opened = await staff.openCase<{ text: string }>(prepared.request.id);
    if (opened.report.text !== REPORT) throw new Error('the investigator decrypted something else');
    step('investigator signed in (password + TOTP), listed and decrypted the report');

    const followUp = new ReporterClient(apiUrl);
    const login = await followUp.login(prepared.receipt, intake.receiptSalt);
    if (login.status !== 201) throw new Error(`reporter login answered ${login.status}`);
    const view = await followUp.getCase();
    if (view.status !== 200) throw new Error(`reporter case view answered ${view.status}`);
    step(`reporter reopened the case with the receipt: status ${String(view.body.status)}`);

    const { rows } = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM cases c WHERE c.id = $1 AND row_to_json(c)::text LIKE '%' || $2 || '%'", [prepared.request.id, 'SMOKE-CANARY'],
    );
    if (Number(rows[0]!.n) !== 0) throw new Error('the report text is in the database in clear');
    step('the case row holds no plaintext');
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`  ✗ ${error.message}\n`);
    process.exit(1);
  },
);
