import Conf from 'conf';
import { FerryError } from '../core/ferry-error';
import { PROFILE_MIGRATIONS, PROFILE_SCHEMA_VERSION } from './profile-migrations';
import { PROFILE_JSON_SCHEMA, type ProfileDocument } from './profile-schema';

/**
 * The key-value document profiles and settings live in. conf implements it in plain Node (tests,
 * the CLI); electron-store, which extends conf, implements it in the app. Nothing else is needed.
 */
export interface ProfileBackend {
  get<K extends keyof ProfileDocument>(key: K): ProfileDocument[K];
  set<K extends keyof ProfileDocument>(key: K, value: ProfileDocument[K]): void;
}

/**
 * Options for conf or electron-store (`new Store(profileStoreOptions())`): `profiles.json`, mode
 * 0600, the JSON schema, versioned migrations, no dot paths (a site id can never address a nested key).
 * The app uses conf directly: electron-store would add nothing here but an `ipcMain` listener
 * (`electron-store-get-data`) that any frame could call, outside the validated contract.
 */
export function profileStoreOptions() {
  return {
    configName: 'profiles',
    /** electron-store's spelling of configName. */
    name: 'profiles',
    projectName: 'Ferry',
    projectVersion: PROFILE_SCHEMA_VERSION,
    schema: PROFILE_JSON_SCHEMA as never,
    migrations: PROFILE_MIGRATIONS,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  };
}

/** Opens (creating, migrating) `profiles.json` in the state dir with conf. A damaged file is an error, never reset. */
export function openProfileBackend(stateDir: string): ProfileBackend {
  try {
    return wrap(new Conf<ProfileDocument>({ ...profileStoreOptions(), cwd: stateDir }));
  } catch (err) {
    throw profileError(err);
  }
}

/** Adapts a conf / electron-store instance, turning its schema errors into FerryErrors that name the file. */
export function wrap(store: { get(key: string): unknown; set(key: string, value: unknown): void; path?: string }): ProfileBackend {
  return {
    get(key) {
      try {
        return store.get(key) as never;
      } catch (err) {
        throw profileError(err, store.path);
      }
    },
    set(key, value) {
      try {
        store.set(key, value);
      } catch (err) {
        throw profileError(err, store.path);
      }
    },
  };
}

function profileError(err: unknown, path?: string): FerryError {
  const message = err instanceof Error ? err.message : String(err);
  const where = path ? ` (${path})` : '';
  return new FerryError('internal', `the site profiles file${where} could not be used`, message, { cause: err });
}
