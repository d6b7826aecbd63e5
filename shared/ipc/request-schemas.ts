import { COLUMN_WIDTH_LIMITS, INVOKE_CHANNELS, RESIZABLE_COLUMNS, type InvokeChannel } from './contract';
import { validate, type Schema } from './schema';
import { CHMOD_RECURSE } from '../model/chmod';

/** Limits on what a renderer may send: generous for people, small enough to refuse abuse. */
export const REQUEST_LIMITS = {
  /** One path, local or remote. */
  path: 4096,
  /** Paths in one delete request. */
  paths: 10_000,
  /** Requests in one `queue:add`. */
  transfers: 10_000,
  /** A host name or address. */
  host: 255,
  /** Ids (session, site, job, prompt). */
  id: 128,
  /** A password, passphrase or keyboard-interactive answer. */
  secret: 4096,
  /** Short text fields: user, site name, charset. */
  text: 256,
  /** A FileZilla sitemanager.xml, in characters. */
  xml: 8 * 1024 * 1024,
} as const;

const L = REQUEST_LIMITS;
const str = (max: number, min = 0): Schema => ({ type: 'string', max, min });
const int = (min: number, max: number): Schema => ({ type: 'number', min, max, integer: true });
const bool: Schema = { type: 'boolean' };
const oneOf = (...values: string[]): Schema => ({ type: 'enum', values });
const arr = (of: Schema, max: number): Schema => ({ type: 'array', of, max });
const req = (schema: Schema) => ({ schema, optional: false });
const opt = (schema: Schema) => ({ schema, optional: true });
const obj = (fields: Record<string, { schema: Schema; optional: boolean }> = {}): Schema => ({ type: 'object', fields });

const path = str(L.path, 1);
const id = str(L.id, 1);
const port = int(1, 65535);
const protocol = oneOf('sftp', 'ftp', 'ftpes', 'ftps');
const auth = oneOf('password', 'key', 'agent', 'keyboard-interactive', 'anonymous');
const existsAction = oneOf('overwrite', 'newer', 'resume', 'rename', 'skip');
const idList = obj({ ids: opt(arr(id, L.transfers)) });
const empty = obj();

const target = obj({
  protocol: req(protocol),
  host: req(str(L.host, 1)),
  port: req(port),
  user: opt(str(L.text)),
  auth: opt(auth),
  keyFile: opt(path),
  passive: opt(bool),
  charset: opt(str(64)),
  siteId: opt(id),
});

const transferRequest = obj({
  direction: req(oneOf('upload', 'download')),
  target: req(target),
  sessionId: opt(id),
  localPath: req(path),
  remotePath: req(path),
  recursive: req(bool),
  onExists: opt(oneOf('ask', 'overwrite', 'newer', 'resume', 'rename', 'skip')),
});

const siteInput = obj({
  id: opt(id),
  name: req(str(L.text, 1)),
  folder: req(str(1024)),
  protocol: req(protocol),
  host: req(str(L.host, 1)),
  port: req(port),
  user: req(str(L.text)),
  auth: req(auth),
  keyFile: opt(path),
  passive: req(bool),
  charset: req(str(64, 1)),
  localDir: opt(path),
  remoteDir: opt(path),
  transferLimit: req(int(1, 16)),
  secret: opt(str(L.secret)),
});

const columnWidths = obj(Object.fromEntries(RESIZABLE_COLUMNS.map((c) => [c, opt(int(COLUMN_WIDTH_LIMITS.min, COLUMN_WIDTH_LIMITS.max))])));

const partialSettings = obj({
  theme: opt(oneOf('system', 'light', 'dark')),
  parallel: opt(int(1, 16)),
  timeoutSec: opt(int(1, 3600)),
  logLevel: opt(oneOf('debug', 'info')),
  onExists: opt(oneOf('ask', 'overwrite', 'newer', 'resume', 'rename', 'skip')),
  layout: opt(
    obj({
      paneSplit: req({ type: 'number', min: 0, max: 1 }),
      queueHeight: req(int(0, 10_000)),
      columns: opt(columnWidths),
      paneColumns: opt(obj({ local: opt(columnWidths), remote: opt(columnWidths) })),
    }),
  ),
});

/** Every answer a prompt can get; `null` means cancelled. */
const promptAnswer: Schema = {
  type: 'union',
  of: [
    { type: 'null' },
    oneOf('trust-once', 'trust-always', 'reject', 'once', 'always', 'cancel'),
    obj({ action: req(existsAction), applyToAll: req(bool) }),
    obj({ value: req(str(L.secret)) }),
    obj({ responses: req(arr(str(L.secret), 64)) }),
  ],
};

/** The runtime shape of each invoke channel's request, mirroring `InvokeChannels` in contract.ts. */
export const REQUEST_SCHEMAS: Readonly<Record<InvokeChannel, Schema>> = {
  'fs:home': empty,
  'fs:list': obj({ path: req(path), showHidden: opt(bool) }),
  'fs:mkdir': obj({ path: req(path) }),
  'fs:rename': obj({ from: req(path), to: req(path) }),
  'fs:delete': obj({ paths: req(arr(path, L.paths)) }),

  'session:connect': obj({ target: req(target), password: opt(str(L.secret)), siteId: opt(id) }),
  'session:list': obj({ sessionId: req(id), path: req(path) }),
  'session:mkdir': obj({ sessionId: req(id), path: req(path) }),
  'session:rename': obj({ sessionId: req(id), from: req(path), to: req(path) }),
  'session:delete': obj({ sessionId: req(id), paths: req(arr(path, L.paths)) }),
  'session:chmod': obj({ sessionId: req(id), path: req(path), mode: req(int(0, 0o7777)), recurse: opt(oneOf(...CHMOD_RECURSE)) }),
  'session:close': obj({ sessionId: req(id) }),

  'queue:add': obj({ requests: req(arr(transferRequest, L.transfers)) }),
  'queue:snapshot': empty,
  'queue:pause': idList,
  'queue:resume': idList,
  'queue:cancel': idList,
  'queue:retry': idList,
  'queue:reorder': obj({ id: req(id), toIndex: req(int(0, 10_000_000)) }),
  'queue:clear-done': empty,
  'queue:clear-failed': empty,
  'queue:remove': obj({ ids: req(arr(id, L.transfers)) }),

  'prompt:answer': obj({ id: req(id), answer: req(promptAnswer) }),
  'prompt:pending': obj({}),
  'log:snapshot': obj({ limit: opt(int(1, 100_000)) }),

  'sites:list': empty,
  'sites:save': obj({ site: req(siteInput) }),
  'sites:delete': obj({ id: req(id) }),
  'sites:duplicate': obj({ id: req(id) }),
  'sites:folders': empty,
  'sites:create-folder': obj({ path: req(str(1024, 1)) }),
  'sites:rename-folder': obj({ path: req(str(1024, 1)), name: req(str(128, 1)) }),
  'sites:delete-folder': obj({ path: req(str(1024, 1)) }),
  'sites:connect': obj({ id: req(id) }),
  'sites:import-filezilla': obj({ xml: req(str(L.xml, 1)) }),
  'sites:clear-filezilla-passwords': obj({ path: req(path) }),
  'sites:export': obj({ passphrase: opt(str(L.secret, 8)) }),
  'sites:import': obj({ text: req(str(L.xml, 1)), passphrase: opt(str(L.secret, 1)) }),

  'trust:list': empty,
  'trust:remove': obj({ kind: req(oneOf('host-key', 'certificate')), host: req(str(L.host, 1)), port: req(port) }),
  'trust:changes': empty,
  'trust:details': obj({ kind: req(oneOf('host-key', 'certificate')), host: req(str(L.host, 1)), port: req(port) }),
  'trust:replace': obj({ kind: req(oneOf('host-key', 'certificate')), host: req(str(L.host, 1)), port: req(port), fingerprint: req(str(L.host, 1)) }),

  'secrets:status': empty,
  'secrets:set-master-password': obj({ password: req(str(L.secret, 8)) }),
  'secrets:unlock': obj({ password: req(str(L.secret, 1)) }),
  'fs:open': obj({ path: req(path) }),

  'settings:get': empty,
  'settings:set': obj({ settings: req(partialSettings) }),
};

/** The outcome of checking one request: plain data, safe to turn into an `invalid-request` error. */
export type RequestCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Checks a payload from the renderer against its channel's schema before any handler sees it:
 * exact types, no unknown or prototype keys, bounded strings and arrays. Never throws.
 */
export function validateRequest(channel: string, payload: unknown): RequestCheck {
  if (typeof channel !== 'string' || !(INVOKE_CHANNELS as readonly string[]).includes(channel)) {
    return { ok: false, message: 'unknown channel' };
  }
  let problem: string | null;
  try {
    problem = validate(REQUEST_SCHEMAS[channel as InvokeChannel], payload, 'request');
  } catch {
    problem = 'request could not be read';
  }
  return problem === null ? { ok: true } : { ok: false, message: `${channel}: ${problem}` };
}
