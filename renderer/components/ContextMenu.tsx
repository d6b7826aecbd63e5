import { useEffect, useLayoutEffect, useRef, useState, type JSX } from 'react';

/** One menu entry; `separator` draws a line instead. */
export type MenuItem =
  | { readonly label: string; readonly shortcut?: string; readonly disabled?: boolean; readonly danger?: boolean; readonly onSelect: () => void }
  | { readonly separator: true };

/** Props: where to open (client coordinates) and what to show. */
export interface ContextMenuProps {
  readonly x: number;
  readonly y: number;
  readonly items: readonly MenuItem[];
  readonly onClose: () => void;
  /** Where focus goes back when the menu is left with Escape or an item: by default, what had it before. */
  readonly returnFocus?: HTMLElement | null;
}

/**
 * A keyboard-navigable context menu that stays inside the window and closes on outside click.
 * Left with Escape or an item, it gives focus back to where it came from (the file table), so the
 * keyboard user is not dropped on the page body; an outside click keeps the focus it moved to.
 */
export function ContextMenu({ x, y, items, onClose, returnFocus }: ContextMenuProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [pos, setPos] = useState({ x, y });

  /** Closes the menu and puts focus back on the opener while it is still in the page. */
  function closeToOpener(): void {
    onClose();
    const target = opener.current;
    if (target?.isConnected) target.focus();
  }

  useLayoutEffect(() => {
    const el = ref.current!;
    if (!opener.current) opener.current = returnFocus ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    setPos({ x: Math.max(0, Math.min(x, window.innerWidth - w - 4)), y: Math.max(0, Math.min(y, window.innerHeight - h - 4)) });
    el.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
  }, [x, y]);

  useEffect(() => {
    const close = (e: Event): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', close, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', close, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  function onKeyDown(e: React.KeyboardEvent): void {
    const buttons = [...ref.current!.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
    const idx = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') closeToOpener();
    else if (e.key === 'ArrowDown') buttons[(idx + 1) % buttons.length]?.focus();
    else if (e.key === 'ArrowUp') buttons[(idx - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  return (
    <div ref={ref} className="context-menu" role="menu" style={{ left: pos.x, top: pos.y }} onKeyDown={onKeyDown}>
      {items.map((item, i) =>
        'separator' in item ? (
          <div key={i} className="menu-separator" role="separator" />
        ) : (
          <button
            key={i}
            type="button"
            role="menuitem"
            disabled={item.disabled}
            className={item.danger ? 'danger' : undefined}
            onClick={() => {
              // Focus first goes back, so a dialog the item opens returns it there too.
              closeToOpener();
              item.onSelect();
            }}
          >
            <span>{item.label}</span>
            {item.shortcut ? <kbd>{item.shortcut}</kbd> : null}
          </button>
        ),
      )}
    </div>
  );
}
