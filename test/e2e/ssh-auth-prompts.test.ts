import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { quickconnect, row } from './e2e-helpers';
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
    await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust once' }).click();
    const dialog = page.getByRole('dialog', { name: 'Login to 127.0.0.1' });
    await dialog.waitFor({ timeout: 20_000 });
    const field = dialog.locator('input[type="password"]');
    expect(await field.count()).toBe(1);
    await field.fill('otp-42');
    await web.screenshot('90-keyboard-interactive');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await row(page, 'remote', 'inbox').waitFor({ timeout: 20_000 });
  });
});
