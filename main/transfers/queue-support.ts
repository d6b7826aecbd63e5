import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { TransferRequest } from '../../shared/model/transfer';
import { FerryError, toFerryError } from '../core/ferry-error';
import { printable, unsafeLocalName } from './path-safety';
import type { RemoteFs } from '../protocols/remote-fs';
import { FINISHED_STATES, type ItemRecord, type JobRecord, type QueueRecord } from './queue-records';
import type { QueueState } from './queue-state';
import { localPartPath, remotePartPath } from './temp-names';
import { humanBytes } from '../core/byte-size';

/**
 * The records that rebuild `state` from nothing: every job and unfinished item, and the last
 * `keepHistory` finished items (all of them for jobs still being walked, so a re-walk does not
 * bring them back). What a compaction writes.
 */
export function compactRecords(state: QueueState, keepHistory: number): QueueRecord[] {
  let finished = 0;
  for (const item of state.items.values()) if (FINISHED_STATES.has(item.state)) finished++;
  let dropFinished = Math.max(0, finished - keepHistory);
  const out: QueueRecord[] = [];
  const batchesWritten = new Set<string>();
  if (state.paused) out.push({ t: 'paused', paused: true });
  for (const id of state.jobOrder) {
    const job = state.jobs.get(id);
    if (!job) continue;
    const items: ItemRecord[] = [];
    for (const item of job.items) {
      if (FINISHED_STATES.has(item.state) && job.walked && dropFinished > 0) {
        dropFinished--;
        continue;
      }
      const { waiting: _waiting, stopping: _stopping, ...durable } = item;
      items.push({ ...durable, state: item.state === 'active' ? 'queued' : item.state, transferred: 0 });
    }
    if (job.walked && items.length === 0) continue;
    out.push({ t: 'job', job: job.record });
    const batch = job.record.batchId;
    const batchPolicy = batch === undefined ? undefined : state.batchPolicies.get(batch);
    if (batch !== undefined && batchPolicy && !batchesWritten.has(batch)) {
      batchesWritten.add(batch);
      out.push({ t: 'batch-policy', batchId: batch, action: batchPolicy });
    }
    if (job.policy && job.policy !== job.record.request.onExists) out.push({ t: 'policy', jobId: id, action: job.policy });
    if (job.paused) out.push({ t: 'job-paused', jobId: id, paused: true });
    for (let i = 0; i < items.length; i += 500) out.push({ t: 'items', items: items.slice(i, i + 500) });
    if (job.walked) out.push({ t: 'walked', jobId: id });
  }
  return out;
}

/** Removes the partial file of a cancelled item (the remote one only when a connection is at hand). */
export async function cleanupPart(item: ItemRecord, fs: RemoteFs | undefined): Promise<void> {
  if (item.direction === 'download') {
    await rm(localPartPath(item.localPath), { force: true }).catch(() => undefined);
  } else if (fs && !item.inPlace) {
    await fs.removeFile(remotePartPath(item.remotePath)).catch(() => undefined);
  }
}

/** Local folders made once per queue (folder jobs make theirs while walking; this is for the rest). */
export class DirCache {
  private readonly made = new Map<string, Promise<void>>();

  ensure(path: string): Promise<void> {
    let made = this.made.get(path);
    if (!made) {
      made = mkdir(path, { recursive: true }).then(
        () => undefined,
        (err: unknown) => {
          this.made.delete(path);
          throw toFerryError(err, `cannot create ${path}`);
        },
      );
      if (this.made.size > 10_000) this.made.clear();
      this.made.set(path, made);
    }
    return made;
  }
}

const siteKeys = new WeakMap<JobRecord, string>();

/** Which connection pool a job uses: protocol, user, host, port and GUI session. */
export function siteKey(job: { record: JobRecord }): string {
  let key = siteKeys.get(job.record);
  if (key === undefined) {
    const { target, sessionId } = job.record.request;
    key = `${target.protocol}://${target.user ?? ''}@${target.host}:${target.port}#${sessionId ?? ''}`;
    siteKeys.set(job.record, key);
  }
  return key;
}

let idRandom = Buffer.alloc(0);
let idAt = 0;

/** A short unique id, time-ordered: the time and 5 random bytes (drawn 256 ids' worth at a time). */
export function newId(): string {
  if (idAt + 5 > idRandom.length) {
    idRandom = randomBytes(5 * 256);
    idAt = 0;
  }
  const random = idRandom.toString('hex', idAt, idAt + 5);
  idAt += 5;
  return `${Date.now().toString(36)}${random}`;
}

/**
 * A request's paths must be plain absolute paths. A download's local path is often built from a
 * remote name (the GUI joins its folder and the entry's name), so its last segment gets the same
 * checks as any remote name, and '.'/'..' segments are refused outright.
 */
export function checkRequestPaths(request: TransferRequest, platform: NodeJS.Platform): void {
  const local = request.localPath;
  if (!local.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(local)) throw new FerryError('invalid-request', `"${printable(local)}" is not an absolute path`);
  if (!request.remotePath.startsWith('/')) throw new FerryError('invalid-request', `"${printable(request.remotePath)}" is not an absolute server path`);
  const segments = local.split(platform === 'win32' ? /[\\/]/ : /\//).filter((x) => x !== '');
  if (segments.some((x) => x === '.' || x === '..')) throw new FerryError('unsafe-path', `refused the local path "${printable(local)}": it climbs with "." or ".."`);
  const last = segments.at(-1);
  if (request.direction === 'download' && last !== undefined) {
    const why = unsafeLocalName(last, platform);
    if (why) throw new FerryError('unsafe-path', `refused the local path "${printable(local)}": ${why}`);
  }
}

/**
 * The log line of a finished file, like FileZilla's "File transfer successful": what moved where,
 * how much in how long, whether it resumed, and how it was verified.
 */
export function transferDoneLine(item: ItemRecord, resumedFrom: number, ms: number, verification: string | undefined): string {
  const [verb, from, to] = item.direction === 'download' ? ['downloaded', item.remotePath, item.localPath] : ['uploaded', item.localPath, item.remotePath];
  const moved = Math.max(0, item.size - resumedFrom);
  const seconds = ms / 1000;
  const rate = seconds > 0 && moved > 0 ? `, ${humanBytes(moved / seconds)}/s` : '';
  const resumed = resumedFrom > 0 ? ` (resumed at ${humanBytes(resumedFrom)})` : '';
  const checked = verification ? `, ${verification}` : '';
  return `${verb} ${from} to ${to}: ${humanBytes(moved)} in ${seconds.toFixed(1)} s${rate}${resumed}${checked}`;
}
