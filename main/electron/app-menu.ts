import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/ipc/contract';

/** What the menu asks the app to do: the contract's `app:command`. */
export type MenuCommand = AppCommand;

export interface AppMenuOptions {
  readonly platform: NodeJS.Platform;
  /** Packaged builds get no reload and no developer tools. */
  readonly isPackaged: boolean;
  readonly appName: string;
  readonly onCommand: (command: MenuCommand) => void;
}

/**
 * The native menu with the usual shortcuts: File (connect, site manager, import, disconnect),
 * Edit (the standard roles, which macOS needs for copy and paste in text fields), View (refresh
 * F5, hidden files, zoom, full screen), Tools (trust center, settings) and Window. Pure: built
 * from options, so tests can check it without Electron.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => options.onCommand(command),
  });
  const settings = cmd(mac ? 'Settings…' : 'Settings', 'settings', 'CmdOrCtrl+,');
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, settings, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        cmd('Quick Connect…', 'quick-connect', 'CmdOrCtrl+K'),
        cmd('Site Manager…', 'site-manager', 'CmdOrCtrl+S'),
        cmd('Import from FileZilla…', 'import-filezilla'),
        { type: 'separator' },
        cmd('Disconnect', 'disconnect', 'CmdOrCtrl+D'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
      ],
    },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        cmd('Refresh', 'refresh', 'F5'),
        ...(mac ? [{ ...cmd('Refresh', 'refresh', 'Cmd+R'), visible: false, acceleratorWorksWhenHidden: true }] : []),
        cmd('Show Hidden Files', 'toggle-hidden', 'CmdOrCtrl+Shift+.'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.isPackaged ? [] : [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]),
      ],
    },
    {
      label: '&Tools',
      submenu: [cmd('Trust Center…', 'trust-center'), ...(mac ? [] : [{ type: 'separator' } as const, settings])],
    },
    {
      label: '&Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
  );
  return template;
}

/** Installs the menu for the whole app. */
export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
