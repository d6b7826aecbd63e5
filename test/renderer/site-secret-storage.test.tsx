import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteInput, SiteProfile } from '../../shared/model/site';
import type { SecretsStatus } from '../../renderer/features/settings/secrets-status';
import { SiteManager } from '../../renderer/features/site-manager/SiteManager';
import { useSessionStore } from '../../renderer/stores/session-store';
import { useSitesStore } from '../../renderer/stores/sites-store';
import { installFakeFerry, type FakeFerry } from './fake-ferry';

// A password typed into a site where main cannot store it (no OS keyring, or the master password
// not entered) is flagged in the form while typed and again when the site is saved, instead of
// being dropped silently; main's `secrets:status` decides, as in Settings.
describe('site manager: saving a password without anywhere to store it', () => {
  let fake: FakeFerry;
  let stored: SiteProfile[];

  beforeEach(() => {
    fake = installFakeFerry();
    stored = [];
    useSitesStore.setState({ sites: [], folders: [], error: null });
    useSessionStore.setState({ status: 'idle', sessionId: null, target: null, site: null, error: null });
    fake.answer('sitesList', () => stored);
    fake.answer('sitesFolders', () => []);
  });
  afterEach(cleanup);

  /** Main's save: the secret is kept only when `canStore`, as SecretStore.save declines otherwise. */
  function mainStores(canStore: boolean): void {
    fake.answer('sitesSave', (req: { site: SiteInput }) => {
      const { secret, ...fields } = req.site;
      const saved: SiteProfile = { ...fields, id: 'new', hasSecret: canStore && !!secret, allowPlain: false };
      stored = [saved];
      return saved;
    });
  }

  async function typeNewSite(status: SecretsStatus, auth: 'password' | 'key' = 'password'): Promise<void> {
    fake.answer('secretsStatus', () => status);
    render(<SiteManager onClose={vi.fn()} />);
    await act(async () => undefined);
    fireEvent.click(screen.getByRole('button', { name: 'New site' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Staging' } });
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'staging.example' } });
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'deploy' } });
    if (auth === 'key') {
      fireEvent.change(screen.getByLabelText('Authentication'), { target: { value: 'key' } });
      fireEvent.change(screen.getByLabelText('Private key file'), { target: { value: '/home/d/.ssh/id_ed25519' } });
    }
    await waitFor(() => expect(fake.fn('secretsStatus')).toHaveBeenCalled());
    await act(async () => undefined);
  }

  it('without a keyring, says so under the password while it is typed and again at save', async () => {
    mainStores(false);
    await typeNewSite({ backend: 'none', locked: false });
    // Nothing typed yet: the placeholder already says it is asked at connection; no warning.
    expect(screen.queryByText(/will not be saved/)).toBeNull();
    const password = screen.getByLabelText('Password');
    fireEvent.change(password, { target: { value: 's3cret' } });
    const note = screen.getByText(/No system keyring is available, so this password will not be saved: Ferry will ask for it each time you connect/);
    expect(password.getAttribute('aria-describedby')).toBe(note.id);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect((fake.fn('sitesSave').mock.calls[0]![0] as { site: SiteInput }).site.secret).toBe('s3cret');
    expect(screen.getByRole('status').textContent).toBe(
      'Saved “Staging” without its password: no system keyring is available. Ferry will ask for it each time you connect; to save it, set a master password in Settings.',
    );
  });

  it('with the master password not entered, names that as the reason (key passphrase too)', async () => {
    mainStores(false);
    await typeNewSite({ backend: 'master-password', locked: true }, 'key');
    fireEvent.change(screen.getByLabelText('Key passphrase'), { target: { value: 'pass' } });
    expect(screen.getByText(/The master password has not been entered in this session, so this passphrase will not be saved/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(screen.getByRole('status').textContent).toMatch(/^Saved “Staging” without its passphrase: the master password has not been entered/);
  });

  it('with the keyring (or an unlocked master password), says nothing', async () => {
    mainStores(true);
    await typeNewSite({ backend: 'safe-storage', locked: false });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(fake.fn('sitesSave')).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/will not be saved|without its password/)).toBeNull();
    cleanup();
    await typeNewSite({ backend: 'master-password', locked: false });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
    expect(screen.queryByText(/will not be saved/)).toBeNull();
  });
});
