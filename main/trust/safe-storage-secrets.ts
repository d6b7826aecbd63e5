import { safeStorage } from 'electron';
import { SecretStore, type SafeStorageLike } from './secret-store';

/**
 * Linux backends that are not a real keyring: `basic_text` encrypts with a password hard-coded
 * in Chromium, so a secret "encrypted" with it is as good as plain text; `unknown` means the app
 * is not ready yet. Ferry treats both as "no keyring" and asks each time instead.
 */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

/**
 * Electron's safeStorage as the secret store sees it: available only with a real OS keyring
 * (Keychain, DPAPI, libsecret, KWallet). Call after the app's `ready` event.
 */
export function electronSafeStorage(platform: NodeJS.Platform = process.platform): SafeStorageLike {
  return {
    isEncryptionAvailable() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      if (platform === 'linux' && WEAK_LINUX_BACKENDS.has(safeStorage.getSelectedStorageBackend())) return false;
      return true;
    },
    encryptString: (plainText) => safeStorage.encryptString(plainText),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}

/** The app's secret store: `secrets.json` in the state dir, sealed with the OS keyring when there is one. */
export function createAppSecretStore(stateDir: string): SecretStore {
  return new SecretStore(stateDir, electronSafeStorage());
}
