import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../shared/ipc/contract';
import type { FerryCore } from '../app/ferry-core';
import { FerryError } from '../core/ferry-error';
import { deleteLocal, listLocal, mkdirLocal, renameLocal } from '../protocols/local-fs';

/** One async function per invoke channel: the whole main-side API, in plain Node. */
export type Handlers = { [C in InvokeChannel]: (req: InvokeRequest<C>) => Promise<InvokeResponse<C>> };

const notYet = (what: string) => async (): Promise<never> => {
  throw new FerryError('not-supported', `${what} is not available in this build yet`);
};

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
    'session:chmod': async (req) => (await (await core.sessions.fs(req.sessionId)).chmod(req.path, req.mode), null),
    'session:close': async (req) => (await core.sessions.close(req.sessionId), null),

    'queue:add': notYet('the transfer queue'),
    'queue:snapshot': notYet('the transfer queue'),
    'queue:pause': notYet('the transfer queue'),
    'queue:resume': notYet('the transfer queue'),
    'queue:cancel': notYet('the transfer queue'),
    'queue:retry': notYet('the transfer queue'),
    'queue:reorder': notYet('the transfer queue'),
    'queue:clear-done': notYet('the transfer queue'),

    'prompt:answer': async (req) => (core.prompts.answer(req.id, req.answer), null),
    'log:snapshot': async (req) => core.log.snapshot(req.limit),

    'sites:list': notYet('the site manager'),
    'sites:save': notYet('the site manager'),
    'sites:delete': notYet('the site manager'),
    'sites:connect': notYet('the site manager'),
    'sites:import-filezilla': notYet('FileZilla import'),

    'trust:list': async () => (await core.trust.list()).map(({ details: _details, ...entry }) => entry),
    'trust:remove': async (req) => (await core.trust.remove(req.kind, req.host, req.port), null),
    'settings:get': notYet('settings'),
    'settings:set': notYet('settings'),
  };
}
