import { useEffect, useId, useRef, type JSX, type ReactNode } from 'react';
import { focusableIn } from './focusable';

/** Props of a modal dialog. */
export interface DialogProps {
  readonly title: string;
  readonly onCancel: () => void;
  readonly children: ReactNode;
  readonly footer: ReactNode;
  readonly tone?: 'normal' | 'danger' | 'warning';
  readonly wide?: boolean;
  readonly icon?: ReactNode;
}

/**
 * A modal dialog: focus moves inside on open (the `data-autofocus` element, else the first field,
 * else the default button; never a hidden, disabled or invisible one), Tab and Shift+Tab cycle
 * among the visible focusable elements, Escape cancels from anywhere inside, and focus returns
 * to where it was on close. With nothing to focus, the dialog itself holds focus so Escape works.
 */
export function Dialog(props: DialogProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onCancel } = props;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current!;
    // A dialog nested inside (mounted with this one) already took focus: leave it there.
    if (previous && root.contains(previous)) return;
    const focusables = focusableIn(root);
    const pick = (selector: string): HTMLElement | undefined => focusables.find((el) => el.matches(selector));
    const first = pick('[data-autofocus]') ?? pick('input, select, textarea') ?? pick('button.primary') ?? focusables[0] ?? root;
    first.focus();
    return () => previous?.focus?.();
  }, []);

  function onKeyDown(e: React.KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key !== 'Tab') return;
    // Handled here (not left to the browser) so focus never reaches a hidden element or leaves
    // the dialog; a nested dialog handles its own Tab and stops it here.
    e.preventDefault();
    e.stopPropagation();
    const focusables = focusableIn(ref.current!);
    if (focusables.length === 0) return;
    const at = focusables.indexOf(document.activeElement as HTMLElement);
    const step = e.shiftKey ? -1 : 1;
    const next = at === -1 ? (e.shiftKey ? focusables.length - 1 : 0) : (at + step + focusables.length) % focusables.length;
    focusables[next]!.focus();
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={`dialog dialog-${props.tone ?? 'normal'}${props.wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          {props.icon}
          <h2 id={titleId}>{props.title}</h2>
        </header>
        <div className="dialog-body">{props.children}</div>
        <footer className="dialog-footer">{props.footer}</footer>
      </div>
    </div>
  );
}
