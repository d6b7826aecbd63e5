import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from '../../renderer/components/Dialog';
import { SiteManager } from '../../renderer/features/site-manager/SiteManager';
import { useSessionStore } from '../../renderer/stores/session-store';
import { useSitesStore } from '../../renderer/stores/sites-store';
import { installFakeFerry } from './fake-ferry';

const active = (): HTMLElement => document.activeElement as HTMLElement;
const tab = (shift = false): void => {
  fireEvent.keyDown(active(), { key: 'Tab', shiftKey: shift });
};

// The modal focus trap: it never lands on a hidden, disabled or invisible element, Tab and
// Shift+Tab cycle among the visible ones, and Escape cancels from wherever focus is inside.
describe('dialog focus trap', () => {
  afterEach(cleanup);

  it('skips hidden, disabled, display:none and visibility:hidden elements and cycles with Tab / Shift+Tab', () => {
    const onCancel = vi.fn();
    render(
      <Dialog
        title="Trap"
        onCancel={onCancel}
        footer={
          <>
            <input type="file" hidden aria-label="hidden file" />
            <button type="button">One</button>
            <button type="button" disabled>
              Disabled
            </button>
            <span style={{ display: 'none' }}>
              <button type="button">Inside display none</button>
            </span>
            <button type="button" style={{ visibility: 'hidden' }}>
              Invisible
            </button>
            <input type="hidden" value="x" />
            <button type="button">Two</button>
          </>
        }
      >
        <p>No fields here.</p>
      </Dialog>,
    );
    // No field: the first visible button, not the hidden file input that comes first.
    expect(active().textContent).toBe('One');
    tab();
    expect(active().textContent).toBe('Two');
    tab();
    expect(active().textContent).toBe('One');
    tab(true);
    expect(active().textContent).toBe('Two');
    tab(true);
    expect(active().textContent).toBe('One');
    fireEvent.keyDown(active(), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('keeps focus on the dialog itself when nothing inside can take it, so Escape still closes', () => {
    const onCancel = vi.fn();
    render(
      <Dialog title="Empty" onCancel={onCancel} footer={<input type="file" hidden aria-label="hidden file" />}>
        <p>Nothing to focus.</p>
      </Dialog>,
    );
    expect(active()).toBe(screen.getByRole('dialog', { name: 'Empty' }));
    tab();
    expect(active()).toBe(screen.getByRole('dialog', { name: 'Empty' }));
    fireEvent.keyDown(active(), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('a nested dialog keeps Tab and Escape to itself', () => {
    const outerCancel = vi.fn();
    const innerCancel = vi.fn();
    render(
      <Dialog title="Outer" onCancel={outerCancel} footer={<button type="button">Outer button</button>}>
        <Dialog title="Inner" onCancel={innerCancel} footer={<button type="button">Inner button</button>}>
          <input aria-label="Inner field" />
        </Dialog>
      </Dialog>,
    );
    expect(active()).toBe(screen.getByRole('textbox', { name: 'Inner field' }));
    tab();
    expect(active().textContent).toBe('Inner button');
    tab();
    expect(active()).toBe(screen.getByRole('textbox', { name: 'Inner field' }));
    fireEvent.keyDown(active(), { key: 'Escape' });
    expect(innerCancel).toHaveBeenCalledTimes(1);
    expect(outerCancel).not.toHaveBeenCalled();
  });

  describe('in the site manager', () => {
    beforeEach(() => {
      const fake = installFakeFerry();
      fake.answer('sitesList', () => []);
      fake.answer('sitesFolders', () => []);
      useSitesStore.setState({ sites: [], folders: [], error: null });
      useSessionStore.setState({ status: 'idle', sessionId: null, target: null, site: null, error: null });
    });

    it('focuses a visible control (not the hidden key or import file inputs), Tab stays among visible ones, Escape closes', async () => {
      const onClose = vi.fn();
      render(<SiteManager onClose={onClose} />);
      await act(async () => undefined);
      const dialog = screen.getByRole('dialog', { name: 'Site manager' });
      expect(dialog.contains(active())).toBe(true);
      expect(active().getAttribute('type')).not.toBe('file');
      const seen = new Set<HTMLElement>();
      for (let i = 0; i < 20; i++) {
        tab();
        expect(dialog.contains(active())).toBe(true);
        expect(active().hidden).toBe(false);
        expect((active() as HTMLButtonElement).disabled).toBe(false);
        seen.add(active());
      }
      expect([...seen].map((el) => el.textContent?.trim())).toContain('Close');
      fireEvent.keyDown(active(), { key: 'Escape' });
      expect(onClose).toHaveBeenCalledTimes(1);
    });
  });
});
