import { inTransaction } from '@cubby/db';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpCapture, type SmtpCapture } from '../packages/server/src/testing/smtp-capture.js';
import { enqueueEmail } from '../packages/server/src/services/notifications/receipts.js';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

// The function given to page.evaluate runs in the page.
declare const localStorage: { setItem(key: string, value: string): void };
const suite = useDashboardSuite();
let smtp: SmtpCapture | undefined;
afterEach(async () => smtp?.close());

describe('Settings → Email, as a district admin', { timeout: 120_000 }, () => {
  it('sets up SMTP (the password never shown again), sends a test, and reads the delivery log with a resend; in Spanish too', async () => {
    smtp = await startSmtpCapture({ user: 'relay', pass: 'relay-secret-1' });
    const dashboard = await suite.start();
    const { server, station } = dashboard.kiosk;
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.goto('settings/email');
    await tab.page.getByText('Email is not set up: no message is sent.').waitFor();
    await tab.capture('settings-email-new', { fullPage: true });

    await tab.page.getByLabel('SMTP server').fill('127.0.0.1');
    await tab.page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await tab.page.getByLabel('Connection security').selectOption('none');
    await tab.page.getByLabel('User name').fill('relay');
    await tab.page.getByLabel('Password', { exact: true }).fill('relay-secret-1');
    await tab.page.getByLabel('Send from').fill('lockers@district.example.org');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await tab.page.getByText('Email is set up.').waitFor();
    expect(await tab.page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await tab.page.content()).not.toContain('relay-secret-1');

    await tab.page.getByLabel('Send a test message to').fill('director@district.example.org');
    await tab.page.getByRole('button', { name: 'Send test' }).click();
    await tab.page.locator('[data-test-result]').filter({ hasText: 'The mail server accepted it' }).waitFor();
    expect(smtp.messages.at(-1)).toMatchObject({ to: ['director@district.example.org'] });

    // Two receipts: the server refuses the first for good, accepts the second.
    const ana = await dashboard.kiosk.aStudent({ givenName: 'Ana' });
    await server.cubby.db
      .updateTable('people')
      .set({ email: 'ana@students.example.org' })
      .where('id', '=', ana.personId)
      .execute();
    smtp.refuse = (attempt) => (attempt === 2 ? 'permanent' : null);
    await inTransaction(server.cubby, (tx) =>
      enqueueEmail(tx, {
        template: 'ready_for_pickup',
        personId: ana.personId,
        stationId: station.stationId,
        ticketId: '0190f5d2-3c4a-7b8e-9f00-abcdef123456',
        compartment: 4,
      }),
    );
    const dead = async () => (await server.cubby.db.selectFrom('jobs').select('state').execute()).some((j) => j.state === 'dead');
    for (let i = 0; i < 200 && !(await dead()); i++) await new Promise((r) => setTimeout(r, 50));
    await dashboard.kiosk.borrowed(ana.badge);
    await tab.page.reload();
    for (let i = 0; i < 40 && (await tab.page.locator('[data-delivery="done"]').count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await tab.page.reload();
    }
    await tab.page.locator('[data-delivery="dead"]').getByText('Gave up').waitFor();
    expect(await tab.page.locator('[data-delivery="dead"]').innerText()).toMatch(/Ready for pickup[\s\S]*550/);
    await tab.capture('settings-email', { fullPage: true });

    await tab.page.locator('[data-delivery="dead"]').getByRole('button', { name: 'Resend' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Queued again.' }).waitFor();
    for (let i = 0; i < 40 && smtp.messages.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages.map((m) => m.subject)).toContain('Your repaired device is ready for pickup');

    await tab.page.getByLabel('Show').selectOption('dead');
    await tab.page.locator('[data-delivery="done"]').first().waitFor({ state: 'detached' });

    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'es'));
    await tab.goto('settings/email');
    await tab.page.getByText('El correo está configurado.').waitFor();
    await tab.page.locator('[data-delivery="dead"]').getByText('Abandonado').waitFor();
    await tab.capture('settings-email-es', { fullPage: true });
    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'en'));
  });
});
