import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../shared/ipc/contract';
import type { FerryCore } from '../app/ferry-core';
import { chmodTree } from '../app/remote-chmod';
import { clearFileZillaPasswords, importFileZilla } from '../profiles/filezilla-import';
import { exportSites, readExportFolders, readSiteExport } from '../profiles/site-export';
import { deleteLocal, listLocal, mkdirLocal, renameLocal } from '../protocols/local-fs';

/** One async function per invoke channel: the whole main-side API, in plain Node. */
export type Handlers = { [C in InvokeChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> };

/** Binds every channel to the core. The Electron IPC layer and the dev bridge both serve this table. */
export function createHandlers(core: FerryCore): Handlers {
  return {
    'fs:home': async () => core.home,
    'fs:list': (req) => listLocal(req.path, req.showHidden === undefined ? {} : { showHidden: req.showHidden }),
    'fs:mkdir': async (req) => (await mkdirLocal(req.path), null),
    'fs:rename': async (req) => (await renameLocal(req.from, req.to), null),
    'fs:delete': async (req) => (await deleteLocal(req.paths), null),

    'session:connect': (req) => {
      const target = req.siteId ? { ...req.target, siteId: req.siteId } : req.target;
      return core.sessions.connect(req.password === undefined ? { target } : { target, password: req.password });
    },
    'session:list': (req) => core.sessions.list(req.sessionId, req.path),
    'session:mkdir': async (req) => (await (await core.sessions.fs(req.sessionId)).mkdir(req.path), null),
    'session:rename': async (req) => (await (await core.sessions.fs(req.sessionId)).rename(req.from, req.to), null),
    'session:delete': async (req) => (await core.sessions.delete(req.sessionId, req.paths), null),
    'session:chmod': async (req) => chmodTree(await core.sessions.fs(req.sessionId), req.path, req.mode, req.recurse ? { recurse: req.recurse } : {}),
    'session:close': async (req) => (await core.sessions.close(req.sessionId), null),

    'queue:add': (req) => core.queue.add(req),
    'queue:snapshot': async () => core.queue.snapshot(),
    'queue:pause': (req) => core.queue.pause(req),
    'queue:resume': (req) => core.queue.resume(req),
    'queue:cancel': (req) => core.queue.cancel(req),
    'queue:retry': (req) => core.queue.retry(req),
    'queue:reorder': (req) => core.queue.reorder(req),
    'queue:clear-done': () => core.queue.clearDone(),
    'queue:clear-failed': () => core.queue.clearFailed(),
    'queue:remove': (req) => core.queue.remove(req),

    'prompt:answer': async (req) => (core.prompts.answer(req.id, req.answer), null),
    'prompt:pending': async () => core.prompts.pending(),
    'log:snapshot': async (req) => core.log.snapshot(req.limit),

    'sites:list': () => core.sites.list(),
    'sites:save': (req) => core.sites.save(req.site),
    'sites:delete': async (req) => (await core.sites.delete(req.id), null),
    'sites:duplicate': (req) => core.sites.duplicate(req.id),
    'sites:folders': async () => core.sites.folders(),
    'sites:create-folder': async (req) => core.sites.createFolder(req.path),
    'sites:rename-folder': async (req) => core.sites.renameFolder(req.path, req.name),
    'sites:delete-folder': (req) => core.sites.deleteFolder(req.path),
    'sites:connect': (req) => core.connectSite(req.id),
    'sites:import-filezilla': async (req) => {
      const report = await importFileZilla(req.xml, core.sites);
      for (const m of report.messages) core.logger.log('info', `FileZilla import: ${m}`);
      return { imported: report.imported, skipped: report.skipped, passwords: report.secretsStored + report.secretsNotStored };
    },
    'sites:clear-filezilla-passwords': (req) => clearFileZillaPasswords(req.path),

    'sites:export': async (req) => {
      const sites = core.profiles.get('sites');
      const folders = core.sites.folders();
      const text = await exportSites(sites, req.passphrase === undefined ? { folders } : { folders, passphrase: req.passphrase, readSecret: (id) => core.secrets.read(id) });
      return { text, count: sites.length };
    },
    'sites:import': async (req) => {
      const inputs = await readSiteExport(req.text, req.passphrase);
      const folders = readExportFolders(req.text);
      for (const site of inputs) await core.sites.save(site);
      for (const folder of folders) core.sites.createFolder(folder);
      return { imported: inputs.length };
    },

    'trust:list': () => core.trustCenter.list(),
    'trust:remove': async (req) => (await core.trustCenter.remove(req.kind, req.host, req.port), null),
    'trust:changes': async () => core.trustCenter.changes().map(({ kind, host, port, type, fingerprint, previousFingerprint, seenAt }) => ({ kind, host, port, type, fingerprint, previousFingerprint, seenAt })),
    'trust:details': (req) => core.trustCenter.details(req.kind, req.host, req.port),
    'trust:replace': (req) => core.trustCenter.replaceChanged(req.kind, req.host, req.port, req.fingerprint),
    'secrets:status': () => core.secrets.status(),
    'secrets:set-master-password': async (req) => (await core.secrets.setMasterPassword(req.password), null),
    'secrets:unlock': async (req) => ({ unlocked: await core.secrets.unlock(req.password) }),
    'fs:open': async (req) => ({ action: await core.openLocal(req.path) }),
    'settings:get': async () => core.settings.get(),
    'settings:set': async (req) => core.updateSettings(req.settings),
  };
}
