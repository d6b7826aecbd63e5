import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PromptRequest } from '../../shared/ipc/prompts';
import { PromptHost } from '../../renderer/features/prompts/PromptHost';
import { usePromptStore } from '../../renderer/stores/prompt-store';
import { installFakeFerry, type FakeFerry } from './fake-ferry';

// The prompt dialogs, driven the way main drives them: a prompt:request event, answered with
// prompt:answer carrying the prompt's id.
describe('prompt dialogs', () => {
  let fake: FakeFerry;
  beforeEach(() => {
    fake = installFakeFerry();
    fake.answer('promptAnswer', () => null);
    usePromptStore.setState({ pending: [] });
  });
  afterEach(cleanup);

  function ask(id: string, request: PromptRequest): void {
    act(() => usePromptStore.getState().push({ id, request }));
  }

  it('asks about an unknown host key and sends "trust-always"', async () => {
    render(<PromptHost />);
    ask('p1', { kind: 'host-key', host: 'h.example', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' });
    expect(screen.getByRole('dialog', { name: 'Unknown host key' })).toBeTruthy();
    expect(screen.getByText('SHA256:abc')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Trust always' })));
    expect(fake.fn('promptAnswer')).toHaveBeenCalledWith({ id: 'p1', answer: 'trust-always' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('makes "Trust once" the default (Enter) for an unknown host key or certificate, never "Trust always"', () => {
    render(<PromptHost />);
    ask('k1', { kind: 'host-key', host: 'h.example', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' });
    expect(document.activeElement?.textContent).toBe('Trust once');
    expect(screen.getByRole('button', { name: 'Trust once' }).className).toContain('primary');
    expect(screen.getByRole('button', { name: 'Trust always' }).className).not.toContain('primary');
    act(() => usePromptStore.getState().remove('k1'));
    ask('c1', { kind: 'certificate', host: 'c.example', port: 990, subject: 'CN=c', issuer: 'CN=c', validFrom: '', validTo: '', fingerprint: 'AB', reason: 'self-signed certificate' });
    expect(document.activeElement?.textContent).toBe('Trust once');
  });

  it('shows a changed host key as danger, with Disconnect focused, and Escape rejects', async () => {
    render(<PromptHost />);
    ask('p2', { kind: 'host-key', host: 'h', port: 22, keyType: 'ssh-rsa', fingerprint: 'SHA256:new', previousFingerprint: 'SHA256:old' });
    const dialog = screen.getByRole('dialog', { name: /CHANGED/ });
    expect(dialog.className).toContain('dialog-danger');
    expect(screen.getByText('SHA256:old')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Disconnect');
    await act(async () => fireEvent.keyDown(dialog, { key: 'Escape' }));
    expect(fake.fn('promptAnswer')).toHaveBeenCalledWith({ id: 'p2', answer: 'reject' });
  });

  it('shows the server reason for plain FTP and answers once / always / cancel', async () => {
    render(<PromptHost />);
    ask('p3', { kind: 'plain-ftp', host: 'ftp.example', port: 21, reason: 'the server refused AUTH TLS (502 not implemented)' });
    expect(screen.getByText(/502 not implemented/)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Continue once' })));
    expect(fake.fn('promptAnswer')).toHaveBeenLastCalledWith({ id: 'p3', answer: 'once' });
    ask('p4', { kind: 'plain-ftp', host: 'ftp.example', port: 21, reason: 'no TLS' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Always for this site' })));
    expect(fake.fn('promptAnswer')).toHaveBeenLastCalledWith({ id: 'p4', answer: 'always' });
  });

  it('offers the five file-exists choices with apply-to-all', async () => {
    render(<PromptHost />);
    ask('p5', { kind: 'file-exists', path: '/r/a.bin', existing: { size: 10, mtime: null }, incoming: { size: 20, mtime: null } });
    for (const name of ['Overwrite', 'Overwrite if newer', 'Resume', 'Rename', 'Skip']) expect(screen.getByRole('button', { name })).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /Apply to all/ }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Skip' })));
    expect(fake.fn('promptAnswer')).toHaveBeenCalledWith({ id: 'p5', answer: { action: 'skip', applyToAll: true } });
  });

  it('sends a typed passphrase and keyboard-interactive responses', async () => {
    render(<PromptHost />);
    ask('p6', { kind: 'secret', purpose: 'passphrase', subject: '/home/a/.ssh/id' });
    fireEvent.change(screen.getByLabelText(/Passphrase for/), { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'OK' })));
    expect(fake.fn('promptAnswer')).toHaveBeenLastCalledWith({ id: 'p6', answer: { value: 's3cret' } });
    ask('p7', { kind: 'keyboard-interactive', host: 'h', name: '', instructions: 'Two steps', prompts: [{ prompt: 'Password:', echo: false }, { prompt: 'Code:', echo: true }] });
    fireEvent.change(screen.getByLabelText('Password:'), { target: { value: 'pw' } });
    fireEvent.change(screen.getByLabelText('Code:'), { target: { value: '123' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'OK' })));
    expect(fake.fn('promptAnswer')).toHaveBeenLastCalledWith({ id: 'p7', answer: { responses: ['pw', '123'] } });
  });

  it('shows a changed certificate as danger, speaking of the certificate, with Disconnect first', async () => {
    render(<PromptHost />);
    ask('c', { kind: 'certificate', host: 'h', port: 21, subject: 'CN=h', issuer: 'CN=h', validFrom: '2026-01-01', validTo: '2027-01-01', fingerprint: 'CC:DD', previousFingerprint: 'AA:BB', reason: 'self-signed certificate' });
    const dialog = screen.getByRole('dialog', { name: /certificate has CHANGED/ });
    expect(dialog.className).toContain('dialog-danger');
    expect(screen.getByRole('button', { name: 'Accept this certificate once' })).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Disconnect');
    expect(dialog.textContent).not.toMatch(/\bkey\b/);
    // No way to re-pin from here: only Disconnect or this connection; the Trust Center replaces pins.
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(expect.not.arrayContaining(['Trust always', 'Replace the trusted certificate']));
    expect(dialog.textContent).toContain('replace it in the Trust Center');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Accept this certificate once' })));
    expect(fake.fn('promptAnswer')).toHaveBeenCalledWith({ id: 'c', answer: 'trust-once' });
  });

  it('closes a dialog when main withdraws the prompt, and shows the next one', () => {
    render(<PromptHost />);
    ask('a', { kind: 'certificate', host: 'h', port: 990, subject: 'CN=h', issuer: 'CN=h', validFrom: '2026-01-01', validTo: '2027-01-01', fingerprint: 'AA:BB', reason: 'self-signed certificate' });
    ask('b', { kind: 'secret', purpose: 'password', subject: 'bob@h' });
    expect(screen.getByRole('dialog', { name: 'Untrusted certificate' })).toBeTruthy();
    act(() => usePromptStore.getState().remove('a'));
    expect(screen.getByRole('dialog', { name: 'Password required' })).toBeTruthy();
    expect(fake.fn('promptAnswer')).not.toHaveBeenCalled();
  });
});
