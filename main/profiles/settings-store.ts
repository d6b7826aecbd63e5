import type { AppSettings } from '../../shared/ipc/contract';
import type { Timeouts } from '../protocols/remote-fs';
import type { ProfileBackend } from './profile-backend';
import { validateSettings } from './settings-validation';

/** The user's settings (theme, parallelism, timeouts, log level, file-exists default, layout). */
export class SettingsStore {
  constructor(private readonly backend: ProfileBackend) {}

  get(): AppSettings {
    return this.backend.get('settings');
  }

  /** Validates and applies a partial update; returns the settings now in force. Nothing changes on error. */
  set(patch: Partial<AppSettings>): AppSettings {
    const next = validateSettings(this.get(), patch);
    this.backend.set('settings', next);
    return next;
  }

  /** The adapters' per-phase deadlines from the one timeout setting (as the CLI's --timeout maps it). */
  timeouts(): Timeouts {
    const ms = this.get().timeoutSec * 1000;
    return { connectMs: ms, tlsMs: ms, loginMs: ms, commandMs: ms, idleMs: Math.max(ms, 10_000) };
  }
}
