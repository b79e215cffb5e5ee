import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { create as createQr } from 'qrcode';
import { ready, recoverPrivateKey, toB64 } from '../../packages/crypto/src';
import { insertStaffUser } from '../../packages/db/src';
import { base32Decode, totpCode } from '../../apps/api/src/services/totp';
import { seedOrganisation } from '../helpers/fixtures';
import { closeBrowserPage, expectAccessible, openBrowserPage, requestsContaining, tr, type WatchedContext } from '../helpers/browser';
import { signedInStaff } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// A real browser running Argon2id (64 MiB) several times: slower than the API tests.
jest.setTimeout(180_000);

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
/** A field by the start of its label ("New password" is also inside "Type the new password again"). */
const field = (key: string) => new RegExp(`^${en(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const FIRST_PASSWORD = 'PW-CANARY-first: mango trees by the Namanga road';
const SECOND_PASSWORD = 'PW-CANARY-second: rain over the Busia weighbridge';
const THIRD_PASSWORD = 'PW-CANARY-third: a blue lorry at Malaba at dawn';

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
const email = `amani.${randomUUID().slice(0, 6)}@test.sauti.invalid`;
let userId: string;
let totpSecret: Buffer;
let totpSecretText: string;
let recoveryKey: string;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true' } });
  const org = await seedOrganisation(stack.pool, { investigators: 1 });
  const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...adminPerson, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active' });
  const admin = await signedInStaff(stack, adminPerson);
  const invited = await admin.invite({ email, displayName: 'Amani Mwangi', roles: ['investigator'], unitId: org.unitId });
  expect(invited.status).toBe(201);
  userId = invited.body.userId as string;
  ({ browser, w, page } = await openBrowserPage('en-GB'));
});

afterAll(async () => {
  await closeBrowserPage({ browser, w });
  await stack?.stop();
});

/** A code of the authenticator for a time step the account has not used yet. */
async function freshCode(): Promise<string> {
  // Each browser sign-in spends a time step; waiting 30 s between them is not what this file tests.
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [userId]);
  return totpCode(totpSecret, Date.now());
}

async function signIn(password: string): Promise<void> {
  await page.getByRole('heading', { name: en('staff.loginTitle') }).waitFor();
  await page.getByLabel(field('staff.email')).fill(email);
  await page.getByLabel(field('staff.password')).fill(password);
  await page.getByLabel(field('staff.totp')).fill(await freshCode());
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  await page.getByRole('heading', { name: en('inbox.title') }).waitFor({ timeout: 90_000 });
}

describe('a new investigator activates her account in the browser, signs in, changes her password and recovers it', () => {
  it('when she opens the invitation link and chooses a password, then weak or mismatched passwords are refused and the authenticator key is shown as text and as an otpauth link', async () => {
    const mail = await waitFor('the invitation e-mail', async () => stack.mail.find((m) => m.to.includes(email)));
    const token = /\/staff\/activate#([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
    await page.goto(`${stack.api.url}/staff/activate#${token}`);
    await page.getByRole('heading', { name: en('activation.title') }).waitFor();
    await page.getByText(en('activation.welcome', { name: 'Amani Mwangi', email })).waitFor();
    await expectAccessible(page, 'activation: password');

    await page.getByLabel(field('password.new')).fill('short');
    await page.getByText(en('password.tooShort'), { exact: true }).waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByText(en('password.tooShortError', { n: 12 })).waitFor();
    await page.getByLabel(field('password.new')).fill(FIRST_PASSWORD);
    await page.getByText(en('password.strong'), { exact: true }).waitFor();
    await page.getByLabel(field('password.confirm')).fill(`${FIRST_PASSWORD}!`);
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByText(en('password.mismatch')).waitFor();
    await expectAccessible(page, 'activation: password with errors');
    await page.getByLabel(field('password.confirm')).fill(FIRST_PASSWORD);
    await page.getByRole('button', { name: en('action.next') }).click();

    await page.getByRole('heading', { name: en('activation.totpTitle') }).waitFor({ timeout: 60_000 });
    totpSecretText = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    totpSecret = base32Decode(totpSecretText);
    expect(totpSecret).toHaveLength(20);
    const link = await page.getByRole('link', { name: en('activation.totpLink') }).getAttribute('href');
    expect(link).toMatch(new RegExp(`^otpauth://totp/.*secret=${totpSecretText}`));
    // The same link as a QR code drawn in the page (no request to a QR service): its dark modules are those of the link.
    const qr = page.getByRole('img', { name: en('totp.qrLabel') });
    const drawn = (await qr.locator('path').getAttribute('d')) ?? '';
    const { modules } = createQr(link!, { errorCorrectionLevel: 'M' });
    const dark: string[] = [];
    for (let row = 0; row < modules.size; row++) for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) dark.push(`M${col + 4} ${row + 4}h1v1h-1z`);
    expect(drawn).toBe(dark.join(''));
    expect(w.requests.filter((r) => !r.url.startsWith(stack.api.url))).toEqual([]);
    await expectAccessible(page, 'activation: authenticator');
  });

  it('when she enters a wrong code and then the right one, then the account is activated and the recovery key is shown once, downloadable, and must be confirmed', async () => {
    const right = totpCode(totpSecret, Date.now());
    await page.getByLabel(field('staff.totp')).fill(right === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: en('activation.activate') }).click();
    await page.getByText(en('activation.codeWrong')).waitFor();
    await page.getByLabel(field('staff.totp')).fill(totpCode(totpSecret, Date.now()));
    await page.getByRole('button', { name: en('activation.activate') }).click();

    await page.getByRole('heading', { name: en('recoveryKey.title') }).waitFor({ timeout: 60_000 });
    recoveryKey = ((await page.getByTestId('recovery-key').textContent()) ?? '').trim();
    expect(recoveryKey).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{1,5}){10}$/);
    await expectAccessible(page, 'recovery key');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en('receipt.download') }).click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toContain(recoveryKey);
    expect(download.suggestedFilename()).toBe('sauti-recovery-key.txt');

    const { rows } = await stack.pool.query<{ status: string; recovery: Buffer }>('SELECT status, recovery_encrypted_private_key AS recovery FROM staff_users WHERE id = $1', [userId]);
    expect(rows[0]!.status).toBe('active');
    // The key shown is the one that wraps the account's private key.
    expect(recoverPrivateKey(userId, recoveryKey, rows[0]!.recovery).privateKey).toHaveLength(32);

    const next = page.getByRole('button', { name: en('activation.toSignIn') });
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel(en('recoveryKey.saved')).check();
    await next.click();
    // The spent token leaves the address bar.
    expect(page.url()).toBe(`${stack.api.url}/staff`);
  });

  it('when she signs in and opens her account page, then she sees when the session ends, a wrong current password changes nothing, and the right one re-wraps her key', async () => {
    await signIn(FIRST_PASSWORD);
    await page.getByRole('button', { name: en('staffNav.account') }).click();
    await page.getByRole('heading', { name: en('account.title') }).waitFor();
    await page.getByText(email).waitFor();
    const ends = (await page.getByTestId('session-end').textContent()) ?? '';
    expect(ends).toMatch(/^This session ends at .+ at the latest\.$/);
    await expectAccessible(page, 'account');

    await page.getByLabel(field('account.current')).fill('not my password at all');
    await page.getByLabel(field('password.new')).fill(SECOND_PASSWORD);
    await page.getByLabel(field('password.confirm')).fill(SECOND_PASSWORD);
    await page.getByRole('button', { name: en('account.changePassword') }).click();
    await page.getByText(en('account.currentWrong')).waitFor({ timeout: 60_000 });

    await page.getByLabel(field('account.current')).fill(FIRST_PASSWORD);
    await page.getByLabel(field('password.new')).fill(SECOND_PASSWORD);
    await page.getByLabel(field('password.confirm')).fill(SECOND_PASSWORD);
    await page.getByRole('button', { name: en('account.changePassword') }).click();
    await page.getByText(en('account.passwordChanged', { n: 0 })).waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'account after a password change');

    await page.getByRole('button', { name: en('staff.signOut') }).first().click();
    await signIn(SECOND_PASSWORD);
    await page.getByRole('button', { name: en('staff.signOut') }).click();
  });

  it('when she has forgotten her password, then a mistyped recovery key is caught before anything is sent, and the right one with a code sets a new password', async () => {
    await page.getByRole('button', { name: en('recovery.link') }).click();
    await page.getByRole('heading', { name: en('recovery.title') }).waitFor();
    await expectAccessible(page, 'recovery');
    const before = w.requests.length;
    await page.getByLabel(field('staff.email')).fill(email);
    await page.getByLabel(field('recoveryKey.label')).fill('UUUUU-UUUUU');
    await page.getByLabel(field('staff.totp')).fill(await freshCode());
    await page.getByLabel(field('password.new')).fill(THIRD_PASSWORD);
    await page.getByLabel(field('password.confirm')).fill(THIRD_PASSWORD);
    await page.getByRole('button', { name: en('recovery.submit') }).click();
    await page.getByText(en('recovery.wrongKey')).waitFor();
    expect(w.requests.slice(before).filter((r) => r.url.includes('/api/'))).toEqual([]);
    await expectAccessible(page, 'recovery with a wrong key');

    await page.getByLabel(field('recoveryKey.label')).fill(recoveryKey.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: en('recovery.submit') }).click();
    await page.getByText(en('recovery.done')).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: en('recovery.toSignIn') }).click();
    await signIn(THIRD_PASSWORD);
    expect(w.problems).toEqual([]);
  });

  it('then no request the page sent carried a password, the recovery key, the private key or the authenticator secret', async () => {
    const { rows } = await stack.pool.query<{ recovery: Buffer }>('SELECT recovery_encrypted_private_key AS recovery FROM staff_users WHERE id = $1', [userId]);
    const privateKey = recoverPrivateKey(userId, recoveryKey, rows[0]!.recovery).privateKey;
    const compact = recoveryKey.replace(/-/g, '');
    const secrets = [FIRST_PASSWORD, SECOND_PASSWORD, THIRD_PASSWORD, 'PW-CANARY', recoveryKey, compact, compact.toLowerCase(), recoveryKey.slice(0, 11),
      toB64(privateKey), Buffer.from(privateKey).toString('hex'), Buffer.from(privateKey).toString('base64'), totpSecretText];
    expect(w.requests.filter((r) => r.url.includes('/api/v1/auth/')).length).toBeGreaterThan(8);
    for (const secret of secrets) expect({ secret, leaks: requestsContaining(w.requests, secret).map((r) => r.url) }).toEqual({ secret, leaks: [] });
  });
});
