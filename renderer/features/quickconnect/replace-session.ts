import { askConfirm } from '../../stores/dialog-store';
import { useQueueStore } from '../../stores/queue-store';
import { targetLabel, useSessionStore } from '../../stores/session-store';

/**
 * Asks before a new connection replaces the connected one (FileZilla's "Break current
 * connection?"), naming both servers and the transfers still under way. Resolves true when
 * nothing is connected or the user agrees; false keeps the current connection.
 */
export async function confirmReplaceSession(next: string): Promise<boolean> {
  const { status, target } = useSessionStore.getState();
  if (status !== 'connected' || !target) return true;
  const { active, queued } = useQueueStore.getState().totals;
  const pending = active + queued;
  const transfers =
    pending > 0
      ? ` ${pending} transfer${pending === 1 ? ' is' : 's are'} still running or waiting: they continue on their own connections, but one that still has to connect may ask for the password again.`
      : '';
  return askConfirm({
    title: 'Break the current connection?',
    message: `Connecting to ${next} closes the connection to ${targetLabel(target)}.${transfers}`,
    confirmLabel: 'Disconnect and connect',
    danger: pending > 0,
  });
}
