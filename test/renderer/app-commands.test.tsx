import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../shared/ipc/contract';
import type { TrustEntry } from '../../shared/model/site';
import { App } from '../../renderer/App';
import { useLocalPane, useRemotePane } from '../../renderer/stores/panes';
import { useSettingsStore } from '../../renderer/stores/settings-store';
import { useUiStore } from '../../renderer/stores/ui-store';
import { giveElementsSize, installFakeFerry, type FakeFerry } from './fake-ferry';

const settings: AppSettings = { theme: 'system', parallel: 4, timeoutSec: 30, logLevel: 'info', onExists: 'ask', layout: { paneSplit: 0.5, queueHeight: 200 } };
const trusted: TrustEntry = { kind: 'host-key', host: 'h.example', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:xyz', firstSeen: 0, lastUsed: 0 };

// Menu commands arrive as app:command events from main; the trust center and settings dialogs
// show and change what main stores.
describe('app commands, trust center and settings', () => {
  let fake: FakeFerry;
  beforeAll(() => giveElementsSize());
  beforeEach(() => {
    fake = installFakeFerry();
    useLocalPane.getState().reset();
    useRemotePane.getState().reset();
    useUiStore.setState({ modal: null, activePane: 'local', importPending: false });
    useSettingsStore.setState({ settings: null, persisted: false });
    fake.answer('fsHome', () => '/h');
    fake.answer('fsList', (req: { path: string }) => ({ path: req.path, entries: [] }));
    fake.answer('settingsGet', () => settings);
    fake.answer('settingsSet', (req: { settings: Partial<AppSettings> }) => ({ ...settings, ...req.settings }));
    fake.answer('trustList', () => [trusted]);
    fake.answer('trustRemove', () => null);
    fake.answer('trustChanges', () => []);
    fake.answer('secretsStatus', () => ({ backend: 'none', locked: false }));
    fake.answer('secretsSetMasterPassword', () => null);
  });
  afterEach(() => {
    cleanup();
    delete document.documentElement.dataset.theme;
  });

  it('opens the trust center from the menu and forgets an entry after confirmation', async () => {
    render(<App />);
    act(() => fake.emit('app:command', { command: 'trust-center' }));
    const dialog = await screen.findByRole('dialog', { name: 'Trust center' });
    await waitFor(() => expect(within(dialog).getByText('SHA256:xyz')).toBeTruthy());
    fireEvent.click(within(dialog).getByRole('button', { name: 'Forget h.example:22' }));
    const confirm = await screen.findByRole('dialog', { name: 'Forget trusted key' });
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Forget' })));
    expect(fake.fn('trustRemove')).toHaveBeenCalledWith({ kind: 'host-key', host: 'h.example', port: 22 });
  });

  it('shows a trusted certificate: subject, issuer, validity, fingerprint and PEM, then back to the list', async () => {
    const cert: TrustEntry = { kind: 'certificate', host: 'c.example', port: 990, type: 'x509', fingerprint: 'AB:CD:EF', firstSeen: 0, lastUsed: 0 };
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
    fake.answer('trustList', () => [trusted, cert]);
    fake.answer('trustDetails', () => ({ subject: 'CN=c.example', issuer: 'CN=Example CA', validFrom: 'Jan  1 00:00:00 2026 GMT', validTo: 'Jan  1 00:00:00 2027 GMT', pem }));
    render(<App />);
    act(() => fake.emit('app:command', { command: 'trust-center' }));
    const list = await screen.findByRole('dialog', { name: 'Trust center' });
    await waitFor(() => expect(within(list).getByText('AB:CD:EF')).toBeTruthy());
    // Host keys have nothing more to show.
    expect(within(list).queryByRole('button', { name: 'Show the certificate of h.example:22' })).toBeNull();
    fireEvent.click(within(list).getByRole('button', { name: 'Show the certificate of c.example:990' }));
    const details = await screen.findByRole('dialog', { name: 'Certificate of c.example:990' });
    await waitFor(() => expect(within(details).getByText('CN=Example CA')).toBeTruthy());
    expect(fake.fn('trustDetails')).toHaveBeenCalledWith({ kind: 'certificate', host: 'c.example', port: 990 });
    expect(within(details).getByText('CN=c.example')).toBeTruthy();
    expect(within(details).getByText('AB:CD:EF')).toBeTruthy();
    expect((within(details).getByLabelText('Certificate (PEM)') as HTMLTextAreaElement).value).toBe(pem);
    fireEvent.click(within(details).getByRole('button', { name: 'Close' }));
    expect(await screen.findByRole('dialog', { name: 'Trust center' })).toBeTruthy();
  });

  it('changes the theme in settings: saved by main and applied to the document', async () => {
    render(<App />);
    await waitFor(() => expect(useSettingsStore.getState().persisted).toBe(true));
    act(() => fake.emit('app:command', { command: 'settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.change(within(dialog).getByLabelText('Theme'), { target: { value: 'dark' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Apply' })));
    expect(fake.fn('settingsSet')).toHaveBeenCalledWith({ settings: { theme: 'dark', parallel: 4, timeoutSec: 30, logLevel: 'info', onExists: 'ask' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows main\'s refusal of a setting', async () => {
    fake.fn('settingsSet').mockResolvedValueOnce({ ok: false, error: { code: 'invalid-request', message: 'Parallel transfers must be a whole number from 1 to 16' } });
    render(<App />);
    await waitFor(() => expect(useSettingsStore.getState().persisted).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    fireEvent.change(within(dialog).getByLabelText('Parallel transfers'), { target: { value: '40' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Apply' })));
    expect(within(dialog).getByRole('alert').textContent).toContain('from 1 to 16');
  });

  it('toggles hidden files of the focused pane and focuses quickconnect', async () => {
    render(<App />);
    act(() => fake.emit('app:command', { command: 'toggle-hidden' }));
    expect(useLocalPane.getState().showHidden).toBe(true);
    act(() => fake.emit('app:command', { command: 'quick-connect' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Host'));
  });

  it('remembers a resized split through settings:set', async () => {
    render(<App />);
    await waitFor(() => expect(useSettingsStore.getState().persisted).toBe(true));
    const handle = screen.getByRole('separator', { name: 'Resize the panes' });
    fireEvent.keyDown(handle, { key: 'ArrowRight' });
    fireEvent.keyDown(handle, { key: 'ArrowRight' });
    await waitFor(() => expect(fake.fn('settingsSet')).toHaveBeenCalledTimes(1), { timeout: 2000 });
    const saved = (fake.fn('settingsSet').mock.calls[0]![0] as { settings: Partial<AppSettings> }).settings;
    expect(saved.layout?.paneSplit).toBeCloseTo(0.54);
    expect(saved.layout?.queueHeight).toBe(200);
  });

  it('reviews a refused changed key and trusts the new one only after a danger confirmation', async () => {
    fake.answer('trustChanges', () => [{ kind: 'host-key', host: 'h.example', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:new', previousFingerprint: 'SHA256:old', seenAt: 0 }]);
    fake.answer('trustReplace', () => ({ ...trusted, fingerprint: 'SHA256:new' }));
    render(<App />);
    act(() => fake.emit('app:command', { command: 'trust-center' }));
    const changes = await screen.findByRole('region', { name: 'Refused changed keys' });
    expect(within(changes).getByText('SHA256:old')).toBeTruthy();
    fireEvent.click(within(changes).getByRole('button', { name: /Trust the new key/ }));
    const confirm = await screen.findByRole('dialog', { name: 'Trust the new host key?' });
    expect(confirm.className).toContain('dialog-danger');
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Trust the new host key' })));
    expect(fake.fn('trustReplace')).toHaveBeenCalledWith({ kind: 'host-key', host: 'h.example', port: 22, fingerprint: 'SHA256:new' });
  });

  it('sets a master password when no keyring keeps passwords', async () => {
    render(<App />);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const section = await screen.findByRole('region', { name: 'Saved passwords' });
    await waitFor(() => expect(within(section).getByLabelText('Master password')).toBeTruthy());
    fireEvent.change(within(section).getByLabelText('Master password'), { target: { value: 'correct horse' } });
    fireEvent.change(within(section).getByLabelText('Repeat'), { target: { value: 'correct hors' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Set master password' }));
    expect(within(section).getByRole('alert').textContent).toContain('differ');
    fireEvent.change(within(section).getByLabelText('Repeat'), { target: { value: 'correct horse' } });
    await act(async () => fireEvent.click(within(section).getByRole('button', { name: 'Set master password' })));
    expect(fake.fn('secretsSetMasterPassword')).toHaveBeenCalledWith({ password: 'correct horse' });
    expect((within(section).getByLabelText('Master password') as HTMLInputElement).value).toBe('');
  });
});
