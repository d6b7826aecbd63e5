import { useEffect, useId, useRef, type JSX, type ReactNode } from 'react';

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
 * A modal dialog: focus moves inside on open (first field, else the default button), Tab stays
 * inside, Escape cancels, focus returns to where it was on close.
 */
export function Dialog(props: DialogProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onCancel } = props;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current!;
    const first =
      root.querySelector<HTMLElement>('[data-autofocus]') ??
      root.querySelector<HTMLElement>('input, select, textarea') ??
      root.querySelector<HTMLElement>('button.primary, button');
    first?.focus();
    return () => previous?.focus?.();
  }, []);

  function onKeyDown(e: React.KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusables = [...ref.current!.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex="0"]')].filter(
      (el) => !(el as HTMLButtonElement).disabled,
    );
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={`dialog dialog-${props.tone ?? 'normal'}${props.wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
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
