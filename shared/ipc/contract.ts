import type { ChmodRecurse, ChmodResult } from '../model/chmod';
import type { ConnectionTarget } from '../model/connection';
import type { LogLine } from '../model/log-line';
import type { Listing } from '../model/remote-entry';
import type { SiteInput, SiteProfile, TrustDetails, TrustEntry } from '../model/site';
import type { QueueUpdate, TransferRequest } from '../model/transfer';
import type { Result } from './errors';
import type { PromptAnswers, PromptEnvelope, PromptKind } from './prompts';

/**
 * The one IPC contract. Every invoke channel: request -> result. Channel names are `domain:verb`.
 * Adding a channel here is the only way to add one; main, the preload and the dev bridge follow it.
 */
export interface InvokeChannels {
  /** The user's home folder on this machine. */
  'fs:home': { req: Record<string, never>; res: string };
  'fs:list': { req: { path: string; showHidden?: boolean }; res: Listing };
  'fs:mkdir': { req: { path: string }; res: null };
  'fs:rename': { req: { from: string; to: string }; res: null };
  'fs:delete': { req: { paths: string[] }; res: null };

  /** Opens a browsing session; the password, if given, stays in main. */
  'session:connect': {
    req: { target: ConnectionTarget; password?: string; siteId?: string };
    res: { sessionId: string; home: string };
  };
  'session:list': { req: { sessionId: string; path: string }; res: Listing };
  'session:mkdir': { req: { sessionId: string; path: string }; res: null };
  'session:rename': { req: { sessionId: string; from: string; to: string }; res: null };
  'session:delete': { req: { sessionId: string; paths: string[] }; res: null };
  /** Permissions of one path; with `recurse`, of a folder's tree (links skipped), refusals counted. */
  'session:chmod': { req: { sessionId: string; path: string; mode: number; recurse?: ChmodRecurse }; res: ChmodResult };
  'session:close': { req: { sessionId: string }; res: null };

  'queue:add': { req: { requests: TransferRequest[] }; res: { jobIds: string[] } };
  'queue:snapshot': { req: Record<string, never>; res: QueueUpdate };
  'queue:pause': { req: { ids?: string[] }; res: null };
  'queue:resume': { req: { ids?: string[] }; res: null };
  'queue:cancel': { req: { ids?: string[] }; res: null };
  'queue:retry': { req: { ids?: string[] }; res: null };
  'queue:reorder': { req: { id: string; toIndex: number }; res: null };
  /** Forgets done and skipped items: what the Done tab holds. */
  'queue:clear-done': { req: Record<string, never>; res: null };
  /** Forgets failed and cancelled items (and their partial downloads): what the Failed tab holds. */
  'queue:clear-failed': { req: Record<string, never>; res: null };
  /** Takes items (or jobs) out of the queue; unfinished ones are cancelled first, partial files removed. */
  'queue:remove': { req: { ids: string[] }; res: null };

  'prompt:answer': { req: { id: string; answer: PromptAnswers[PromptKind] | null }; res: null };
  /** Questions still open in main (a reloaded window shows them again instead of leaving them unanswered). */
  'prompt:pending': { req: Record<string, never>; res: PromptEnvelope[] };

  'log:snapshot': { req: { limit?: number }; res: LogLine[] };

  'sites:list': { req: Record<string, never>; res: SiteProfile[] };
  'sites:save': { req: { site: SiteInput }; res: SiteProfile };
  'sites:delete': { req: { id: string }; res: null };
  /** Saves a copy of a site, with its stored secret copied in main (it never crosses IPC). */
  'sites:duplicate': { req: { id: string }; res: SiteProfile };
  /** Every folder of the site tree ("Work/Clients"), including empty ones the user created. */
  'sites:folders': { req: Record<string, never>; res: string[] };
  /** Creates a folder (kept while empty); the normalized path. */
  'sites:create-folder': { req: { path: string }; res: string };
  /** Renames a folder's last part, carrying its subfolders and sites; the new path. */
  'sites:rename-folder': { req: { path: string; name: string }; res: string };
  /** Deletes a folder with its subfolders and every site in them; how many sites went. */
  'sites:delete-folder': { req: { path: string }; res: { deleted: number } };
  'sites:connect': { req: { id: string }; res: { sessionId: string; home: string } };
  /** `passwords`: how many saved passwords the file held (the UI offers to clear them from it). */
  'sites:import-filezilla': { req: { xml: string }; res: { imported: number; skipped: number; passwords?: number } };
  /** Removes the passwords from FileZilla's sitemanager.xml after an import (the user's choice). */
  'sites:clear-filezilla-passwords': { req: { path: string }; res: { removed: number } };
  /** Ferry's own export: no secrets, unless sealed with a passphrase. */
  'sites:export': { req: { passphrase?: string }; res: { text: string; count: number } };
  'sites:import': { req: { text: string; passphrase?: string }; res: { imported: number } };

  'trust:list': { req: Record<string, never>; res: TrustEntry[] };
  'trust:remove': { req: { kind: TrustEntry['kind']; host: string; port: number }; res: null };
  /** Changed keys and certificates that connections refused since the app started. */
  'trust:changes': { req: Record<string, never>; res: ChangedTrustEntry[] };
  /** What was recorded with a trusted entry (a certificate's subject, issuer, validity and PEM). */
  'trust:details': { req: { kind: TrustEntry['kind']; host: string; port: number }; res: TrustDetails };
  /** Pins a reported changed key: the only way a changed key is ever trusted. */
  'trust:replace': { req: { kind: TrustEntry['kind']; host: string; port: number; fingerprint: string }; res: TrustEntry };

  /** Where saved passwords go: the OS keyring, a master password, or nowhere (asked each time). */
  'secrets:status': { req: Record<string, never>; res: { backend: 'safe-storage' | 'master-password' | 'none'; locked: boolean } };
  'secrets:set-master-password': { req: { password: string }; res: null };
  'secrets:unlock': { req: { password: string }; res: { unlocked: boolean } };

  /** Opens a local file with the OS (or reveals it in its folder when opening could run code). */
  'fs:open': { req: { path: string }; res: { action: 'open' | 'reveal' } };

  'settings:get': { req: Record<string, never>; res: AppSettings };
  'settings:set': { req: { settings: Partial<AppSettings> }; res: AppSettings };
}

/** User settings the renderer may read and change. */
export interface AppSettings {
  readonly theme: 'system' | 'light' | 'dark';
  readonly parallel: number;
  readonly timeoutSec: number;
  readonly logLevel: 'debug' | 'info';
  readonly onExists: 'ask' | 'overwrite' | 'newer' | 'resume' | 'rename' | 'skip';
  readonly layout: {
    readonly paneSplit: number;
    readonly queueHeight: number;
    /** Widths of the columns the user resized, per pane: resizing one pane leaves the other as it is. */
    readonly paneColumns?: { readonly local?: ColumnWidths; readonly remote?: ColumnWidths };
    /**
     * Widths saved before each pane had its own (both panes shared them): still used by a pane
     * with no entry in `paneColumns`, so an upgrade keeps what the user set.
     */
    readonly columns?: ColumnWidths;
  };
}

/** Widths in pixels of the file-table columns the user resized, by column. */
export type ColumnWidths = Readonly<Partial<Record<ResizableColumn, number>>>;

/** File-table columns whose width the user can change (Name takes up the rest). */
export const RESIZABLE_COLUMNS = ['size', 'mtime', 'mode', 'owner'] as const;
export type ResizableColumn = (typeof RESIZABLE_COLUMNS)[number];
/** Bounds of a resized column, in pixels. */
export const COLUMN_WIDTH_LIMITS = { min: 48, max: 2000 } as const;

/** What the native menu (or another main-side trigger) asks the window to do. */
export type AppCommand =
  | 'quick-connect'
  | 'site-manager'
  | 'import-filezilla'
  | 'disconnect'
  | 'refresh'
  | 'toggle-hidden'
  | 'trust-center'
  | 'settings';

/** A changed host key or certificate a connection refused, for the trust center to review. */
export interface ChangedTrustEntry {
  readonly kind: TrustEntry['kind'];
  readonly host: string;
  readonly port: number;
  readonly type: string;
  readonly fingerprint: string;
  readonly previousFingerprint: string;
  readonly seenAt: number;
}

/** Events main pushes to the renderer, batched a few times a second. */
export interface EventChannels {
  /** A menu command for the renderer to carry out. */
  'app:command': { command: AppCommand };
  'prompt:request': PromptEnvelope;
  'prompt:closed': { id: string };
  'queue:update': QueueUpdate;
  'log:lines': LogLine[];
  'session:closed': { sessionId: string; reason?: string };
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;
export type InvokeRequest<C extends InvokeChannel> = InvokeChannels[C]['req'];
export type InvokeResponse<C extends InvokeChannel> = InvokeChannels[C]['res'];

/** Every invoke channel, at runtime: the preload and the bridge expose exactly these. */
export const INVOKE_CHANNELS = [
  'fs:home', 'fs:list', 'fs:mkdir', 'fs:rename', 'fs:delete',
  'session:connect', 'session:list', 'session:mkdir', 'session:rename', 'session:delete',
  'session:chmod', 'session:close',
  'queue:add', 'queue:snapshot', 'queue:pause', 'queue:resume', 'queue:cancel', 'queue:retry',
  'queue:reorder', 'queue:clear-done', 'queue:clear-failed', 'queue:remove',
  'prompt:answer', 'prompt:pending', 'log:snapshot',
  'sites:list', 'sites:save', 'sites:delete', 'sites:duplicate',
  'sites:folders', 'sites:create-folder', 'sites:rename-folder', 'sites:delete-folder', 'sites:connect', 'sites:import-filezilla', 'sites:export', 'sites:import',
  'sites:clear-filezilla-passwords',
  'trust:list', 'trust:remove', 'trust:changes', 'trust:replace', 'trust:details', 'settings:get', 'settings:set',
  'secrets:status', 'secrets:set-master-password', 'secrets:unlock', 'fs:open',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'app:command', 'prompt:request', 'prompt:closed', 'queue:update', 'log:lines', 'session:closed',
] as const satisfies readonly EventChannel[];

// Compile-time check that the runtime lists hold every channel.
type Missing<All, Listed> = Exclude<All, Listed>;
const allInvokeListed: Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never ? true : false = true;
const allEventsListed: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never ? true : false = true;
void allInvokeListed;
void allEventsListed;

type Camel<S extends string> = S extends `${infer A}:${infer B}`
  ? `${A}${Capitalize<Camel<B>>}`
  : S extends `${infer A}-${infer B}`
    ? `${A}${Capitalize<Camel<B>>}`
    : S;

/** The API the preload (and, in development, the browser bridge) puts on `window.ferry`. */
export type FerryApi = {
  readonly [C in InvokeChannel as Camel<C>]: (req: InvokeRequest<C>) => Promise<Result<InvokeResponse<C>>>;
} & {
  readonly [E in EventChannel as `on${Capitalize<Camel<E>>}`]: (listener: (payload: EventChannels[E]) => void) => () => void;
};

/** `session:connect` -> `sessionConnect`: the method name a channel gets on `window.ferry`. */
export function methodName(channel: InvokeChannel): string {
  return channel.replace(/[:-]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** `queue:update` -> `onQueueUpdate`. */
export function listenerName(channel: EventChannel): string {
  const m = methodName(channel as unknown as InvokeChannel);
  return `on${m.charAt(0).toUpperCase()}${m.slice(1)}`;
}
