import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, listenerName, methodName } from '../../shared/ipc/contract';

// One method per contract channel, nothing generic: the page can reach exactly these and no other
// channel, and never gets ipcRenderer itself.
const api: Record<string, unknown> = {};
for (const channel of INVOKE_CHANNELS) {
  api[methodName(channel)] = (req: unknown) => ipcRenderer.invoke(channel, req);
}
for (const channel of EVENT_CHANNELS) {
  api[listenerName(channel)] = (listener: (payload: unknown) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  };
}
/** Local path of a file dropped from the OS (File.path is gone since Electron 32). */
api.pathForFile = (file: File) => webUtils.getPathForFile(file);

contextBridge.exposeInMainWorld('ferry', api);
