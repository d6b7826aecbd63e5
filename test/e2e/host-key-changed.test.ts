import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyPair, startTestServer, type TestServer } from '../protocols/sftp/helpers/test-ssh-server';
import { quickconnect, row } from './e2e-helpers';
import { startFerryWeb, type FerryWeb } from './harness/ferry-web';

// The dangerous case: a server Ferry trusted comes back on the same address with another host
// key. The connection is refused without a question, the remote pane says why and points to the
// trust center, which shows both fingerprints; only an explicit, confirmed replace trusts the new key.
describe('changed host key', () => {
  let base: string;
  let first: TestServer;
  let impostor: ssh2.Server | undefined;
  let web: FerryWeb;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'ferry-e2e-hostkey-'));
    await mkdir(join(base, 'root', 'home'), { recursive: true });
    first = await startTestServer({ root: join(base, 'root'), users: { alice: { password: 'pw' } }, methods: ['password'] });
    web = await startFerryWeb({ home: base });
  });

  afterAll(async () => {
    await web?.close();
    await first?.close();
    await new Promise<void>((resolve) => (impostor ? impostor.close(() => resolve()) : resolve()));
    await rm(base, { recursive: true, force: true });
  });

  it('refuses a server whose key changed, without asking, and points to the trust center', async () => {
    const { page } = web;
    const port = first.port;
    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port, user: 'alice', password: 'pw' });
    await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust always' }).click();
    await row(page, 'remote', 'home').or(page.locator('[data-testid="remote-pane"] .file-table-empty')).first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await first.close();

    // Same address, another key: a server that never gets as far as authentication.
    const otherKey = makeKeyPair().privateKey;
    impostor = new ssh2.Server({ hostKeys: [otherKey] }, (conn) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => ctx.reject());
    });
    await new Promise<void>((resolve) => impostor!.listen(port, '127.0.0.1', resolve));

    await quickconnect(page, { protocol: 'sftp', host: '127.0.0.1', port, user: 'alice', password: 'pw' });
    const alert = page.locator('[data-testid="remote-pane"] .connect-error');
    await alert.waitFor({ timeout: 20_000 });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await alert.textContent()).toMatch(/host key changed/i);
    expect(await alert.getByRole('button', { name: 'Review in the trust center' }).count()).toBe(1);
    await web.screenshot('80-host-key-changed-refused');
  });

  it('shows both fingerprints in the trust center and trusts the new key only when confirmed', async () => {
    const { page } = web;
    const alert = page.locator('[data-testid="remote-pane"] .connect-error');
    await alert.getByRole('button', { name: 'Review in the trust center' }).click();
    const center = page.getByRole('dialog', { name: 'Trust center' });
    const changes = center.getByRole('region', { name: 'Refused changed keys' });
    await changes.waitFor();
    const previous = (await center.getByRole('table').textContent()) ?? '';
    await web.screenshot('81-trust-center-changed-key');
    await changes.getByRole('button', { name: /Trust the new key/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Trust the new host key?' });
    await confirm.getByRole('button', { name: 'Trust the new host key' }).click();
    await changes.waitFor({ state: 'detached' });
    expect(await center.getByRole('table').textContent()).not.toBe(previous);
  });
});
