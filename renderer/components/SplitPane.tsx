import { useRef, type JSX, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

/** Props: `ratio` is the first pane's share (0..1) for rows, or its height in px for columns. */
export interface SplitPaneProps {
  readonly direction: 'horizontal' | 'vertical';
  /** horizontal: fraction of width for the first child; vertical: pixel height of the second child. */
  readonly value: number;
  readonly onChange: (value: number) => void;
  readonly min: number;
  readonly max: number;
  readonly label: string;
  readonly children: [ReactNode, ReactNode];
}

/**
 * Two panes with a draggable (and keyboard-adjustable) divider. The caller owns the value,
 * so it can be remembered in settings.
 */
export function SplitPane(props: SplitPaneProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const horizontal = props.direction === 'horizontal';
  const clamp = (v: number): number => Math.min(props.max, Math.max(props.min, v));

  function valueAt(e: PointerEvent): number {
    const rect = ref.current!.getBoundingClientRect();
    return horizontal ? (e.clientX - rect.left) / rect.width : rect.bottom - e.clientY;
  }

  function onPointerDown(e: PointerEvent<HTMLDivElement>): void {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>): void {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) props.onChange(clamp(valueAt(e)));
  }
  function onKeyDown(e: KeyboardEvent): void {
    const step = horizontal ? 0.02 : 16;
    const dec = horizontal ? 'ArrowLeft' : 'ArrowDown';
    const inc = horizontal ? 'ArrowRight' : 'ArrowUp';
    if (e.key === dec) props.onChange(clamp(props.value - step));
    else if (e.key === inc) props.onChange(clamp(props.value + step));
    else return;
    e.preventDefault();
  }

  const style = horizontal
    ? { gridTemplateColumns: `${props.value * 100}% 5px minmax(0, 1fr)` }
    : { gridTemplateRows: `minmax(0, 1fr) 5px ${props.value}px` };

  return (
    <div ref={ref} className={`split split-${props.direction}`} style={style}>
      <div className="split-child">{props.children[0]}</div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation={horizontal ? 'vertical' : 'horizontal'}
        aria-label={props.label}
        aria-valuenow={Math.round(horizontal ? props.value * 100 : props.value)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
      />
      <div className="split-child">{props.children[1]}</div>
    </div>
  );
}
