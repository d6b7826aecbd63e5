import { COLUMN_WIDTH_LIMITS, RESIZABLE_COLUMNS, type AppSettings } from '../../shared/ipc/contract';
import type { SiteProfile } from '../../shared/model/site';

/** A site as stored on disk: the profile without the derived flags, plus bookkeeping. */
export interface StoredSite extends Omit<SiteProfile, 'hasSecret' | 'allowPlain'> {
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When a connection from this site last succeeded, ms since the epoch. */
  readonly lastUsed?: number;
}

/** The folders last open for a site, to reopen them next time. */
export interface LastPaths {
  readonly local?: string;
  readonly remote?: string;
  readonly at: number;
}

/** The whole profiles document (`profiles.json`), one version at a time. */
export interface ProfileDocument {
  sites: StoredSite[];
  settings: AppSettings;
  lastPaths: Record<string, LastPaths>;
  /**
   * Site-tree folders kept on their own ("Work/Clients"), so a folder the user created stays while
   * empty; a folder also exists while a site names it. Absent in files from before folders.
   */
  folders?: string[];
}

/** Settings a fresh install starts with. */
export const DEFAULT_SETTINGS: AppSettings = {
  theme: 'system',
  parallel: 4,
  timeoutSec: 30,
  logLevel: 'info',
  onExists: 'ask',
  layout: { paneSplit: 0.5, queueHeight: 220 },
};

const PROTOCOLS = ['sftp', 'ftp', 'ftpes', 'ftps'];
const AUTHS = ['password', 'key', 'agent', 'keyboard-interactive', 'anonymous'];
const EXISTS = ['ask', 'overwrite', 'newer', 'resume', 'rename', 'skip'];
const text = (maxLength: number) => ({ type: 'string', maxLength });
const COLUMN_WIDTHS = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(RESIZABLE_COLUMNS.map((c) => [c, { type: 'integer', minimum: COLUMN_WIDTH_LIMITS.min, maximum: COLUMN_WIDTH_LIMITS.max }])),
};

/**
 * JSON schema of the profiles document, checked by conf / electron-store (ajv) on every read and
 * write: a hand-edited or damaged file is refused with a named field, never half-loaded.
 * Input from the renderer is validated earlier, with friendlier messages (site-validation.ts).
 */
export const PROFILE_JSON_SCHEMA = {
  sites: {
    type: 'array',
    maxItems: 10_000,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'folder', 'protocol', 'host', 'port', 'user', 'auth', 'passive', 'charset', 'transferLimit', 'createdAt', 'updatedAt'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 128 },
        name: { type: 'string', minLength: 1, maxLength: 128 },
        folder: text(1024),
        protocol: { enum: PROTOCOLS },
        host: { type: 'string', minLength: 1, maxLength: 255 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        user: text(256),
        auth: { enum: AUTHS },
        keyFile: text(4096),
        passive: { type: 'boolean' },
        charset: { type: 'string', minLength: 1, maxLength: 64 },
        localDir: text(4096),
        remoteDir: text(4096),
        transferLimit: { type: 'integer', minimum: 1, maximum: 16 },
        createdAt: { type: 'number' },
        updatedAt: { type: 'number' },
        lastUsed: { type: 'number' },
      },
    },
    default: [],
  },
  settings: {
    type: 'object',
    additionalProperties: false,
    required: ['theme', 'parallel', 'timeoutSec', 'logLevel', 'onExists', 'layout'],
    properties: {
      theme: { enum: ['system', 'light', 'dark'] },
      parallel: { type: 'integer', minimum: 1, maximum: 16 },
      timeoutSec: { type: 'integer', minimum: 1, maximum: 3600 },
      logLevel: { enum: ['debug', 'info'] },
      onExists: { enum: EXISTS },
      layout: {
        type: 'object',
        additionalProperties: false,
        required: ['paneSplit', 'queueHeight'],
        properties: {
          paneSplit: { type: 'number', minimum: 0, maximum: 1 },
          queueHeight: { type: 'integer', minimum: 0, maximum: 10_000 },
          columns: COLUMN_WIDTHS,
          paneColumns: { type: 'object', additionalProperties: false, properties: { local: COLUMN_WIDTHS, remote: COLUMN_WIDTHS } },
        },
      },
    },
    default: DEFAULT_SETTINGS,
  },
  folders: { type: 'array', maxItems: 10_000, items: text(1024) },
  lastPaths: {
    type: 'object',
    maxProperties: 10_000,
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['at'],
      properties: { local: text(4096), remote: text(4096), at: { type: 'number' } },
    },
    default: {},
  },
} as const;
