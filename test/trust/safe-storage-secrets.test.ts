import { beforeEach, describe, expect, it, vi } from 'vitest';

const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn(() => true),
  getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
  encryptString: vi.fn((s: string) => Buffer.from(`enc:${s}`)),
  decryptString: vi.fn((b: Buffer) => b.toString().slice(4)),
}));
vi.mock('electron', () => ({ safeStorage }));

const { electronSafeStorage } = await import('../../main/trust/safe-storage-secrets');

describe('electronSafeStorage', () => {
  beforeEach(() => {
    safeStorage.isEncryptionAvailable.mockReturnValue(true);
    safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
  });

  it('is available with a real keyring and passes encryption through', () => {
    const s = electronSafeStorage('linux');
    expect(s.isEncryptionAvailable()).toBe(true);
    expect(s.decryptString(s.encryptString('pw'))).toBe('pw');
    expect(safeStorage.encryptString).toHaveBeenCalledWith('pw');
  });

  it("refuses Linux's basic_text backend (a hard-coded key) and the not-ready state", () => {
    for (const backend of ['basic_text', 'unknown']) {
      safeStorage.getSelectedStorageBackend.mockReturnValue(backend);
      expect(electronSafeStorage('linux').isEncryptionAvailable()).toBe(false);
    }
  });

  it('does not ask for a Linux backend on macOS and Windows', () => {
    safeStorage.getSelectedStorageBackend.mockImplementation(() => { throw new Error('linux only'); });
    expect(electronSafeStorage('darwin').isEncryptionAvailable()).toBe(true);
    expect(electronSafeStorage('win32').isEncryptionAvailable()).toBe(true);
    safeStorage.getSelectedStorageBackend.mockReset();
  });

  it('is unavailable when Electron says so', () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(electronSafeStorage('darwin').isEncryptionAvailable()).toBe(false);
  });
});
