import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { openTab, quickconnect, row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// A server that only offers keyboard-interactive login: main relays the server's question as a
// prompt; the dialog's answer logs in.
describe('keyboard-interactive login', () => {
  let base: string;
  let server: TestServer;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-kbd-'));
    await mkdir(join(base, 'root', 'home', 'inbox'), { recursive: true });
    server = await startTestServer({ root: join(base, 'root'), users: { carol: { password: 'otp-42', keyboard: true } }, methods: ['keyboard-interactive'] });
    web = await startFerryWeb({ home: base });
  });

  afterAll(async () => {
    await web?.close();
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('asks the server\'s question in a dialog and logs in with the answer', async () => {
    const { page } = web;
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'carol', password: '' });
    // Enter takes the least-committing answer that connects: "Trust once" (the key is not pinned).
    await page.getByRole('dialog', { name: 'Unknown host key' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Login to 127.0.0.1' });
    await dialog.waitFor({ timeout: 20_000 });
    const field = dialog.locator('input[type="password"]');
    expect(await field.count()).toBe(1);
    await field.fill('otp-42');
    await web.screenshot('90-keyboard-interactive');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await row(page, 'remote', 'inbox').waitFor({ timeout: 20_000 });
  });

  it('says a refused login in plain words; ssh2\'s own text is only in the log', async () => {
    const { page } = web;
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port: server.port, user: 'carol', password: '' });
    // Asked again: the Enter above trusted the key for that connection only.
    await page.getByRole('dialog', { name: 'Unknown host key' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const login = page.getByRole('dialog', { name: 'Login to 127.0.0.1' });
    const alert = page.locator('[data-testid="remote-pane"] .connect-error');
    for (let i = 0; i < 4 && !(await alert.isVisible()); i++) {
      await Promise.race([login.waitFor({ timeout: 20_000 }), alert.waitFor({ timeout: 20_000 })]);
      if (await login.isVisible()) {
        await login.locator('input[type="password"]').fill('wrong-otp');
        await login.getByRole('button', { name: 'OK' }).click();
      }
    }
    await alert.waitFor({ timeout: 20_000 });
    const shown = (await alert.textContent()) ?? '';
    expect(shown).toContain('The login did not succeed: check the user name and the password or key.');
    expect(shown).not.toMatch(/All configured authentication methods failed/i);
    await web.screenshot('91-login-refused');
    await openTab(page, 'Log');
    await page.getByLabel('Find in log').fill('authentication methods');
    await page.locator('.log-line', { hasText: /All configured authentication methods failed/i }).first().waitFor({ timeout: 10_000 });
  });
});
