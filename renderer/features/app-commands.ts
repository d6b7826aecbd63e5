import type { AppCommand } from '../../shared/ipc/contract';
import { paneStore } from '../stores/panes';
import { useSessionStore } from '../stores/session-store';
import { useUiStore } from '../stores/ui-store';

/** Carries out a command from the native menu (main's `app:command` event). */
export function runAppCommand(command: AppCommand): void {
  const ui = useUiStore.getState();
  switch (command) {
    case 'quick-connect':
      ui.requestQuickConnect();
      break;
    case 'site-manager':
      ui.open('sites');
      break;
    case 'import-filezilla':
      ui.requestImport();
      break;
    case 'disconnect':
      void useSessionStore.getState().disconnect();
      break;
    case 'refresh':
      void paneStore(ui.activePane).getState().refresh();
      break;
    case 'toggle-hidden':
      paneStore(ui.activePane).getState().toggleHidden();
      break;
    case 'trust-center':
      ui.open('trust');
      break;
    case 'settings':
      ui.open('settings');
      break;
  }
}
