import { useRef, type JSX, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { useElementSize } from './use-element-size';

/** Thickness of the divider in pixels; the grid templates below use the same value. */
const HANDLE = 5;

/** Props: `ratio` is the first pane's share (0..1) for rows, or its height in px for columns. */
export interface SplitPaneProps {
  readonly direction: 'horizontal' | 'vertical';
  /** horizontal: fraction of width for the first child; vertical: pixel height of the second child. */
  readonly value: number;
  readonly onChange: (value: number) => void;
  readonly min: number;
  readonly max: number;
  readonly label: string;
  /**
   * Pixels each child keeps at the least, whatever the value says: on a small window the divider
   * stops there (the saved value comes back when the window grows again).
   */
  readonly minFirstPx?: number;
  readonly minSecondPx?: number;
  readonly children: [ReactNode, ReactNode];
}

/**
 * Two panes with a draggable (and keyboard-adjustable) divider. The caller owns the value,
 * so it can be remembered in settings.
 */
export function SplitPane(props: SplitPaneProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const horizontal = props.direction === 'horizontal';
  const size = useElementSize(ref, horizontal ? 'width' : 'height');
  const [lo, hi] = bounds(props, size);
  const clamp = (v: number): number => Math.min(hi, Math.max(lo, v));
  const value = clamp(props.value);

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
    if (e.key === dec) props.onChange(clamp(value - step));
    else if (e.key === inc) props.onChange(clamp(value + step));
    else return;
    e.preventDefault();
  }

  const style = horizontal
    ? { gridTemplateColumns: `${value * 100}% ${HANDLE}px minmax(0, 1fr)` }
    : { gridTemplateRows: `minmax(0, 1fr) ${HANDLE}px ${value}px` };

  return (
    <div ref={ref} className={`split split-${props.direction}`} style={style}>
      <div className="split-child">{props.children[0]}</div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation={horizontal ? 'vertical' : 'horizontal'}
        aria-label={props.label}
        aria-valuenow={Math.round(horizontal ? value * 100 : value)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
      />
      <div className="split-child">{props.children[1]}</div>
    </div>
  );
}

/**
 * The range the value may take in a container of `size` px: the caller's min and max, narrowed so
 * each child keeps its minimum pixels. When both minimums cannot fit, the first child's wins.
 */
function bounds(props: SplitPaneProps, size: number): [number, number] {
  const { min, max, minFirstPx = 0, minSecondPx = 0 } = props;
  if (size <= 0) return [min, max];
  if (props.direction === 'horizontal') {
    const lo = Math.max(min, minFirstPx / size);
    const hi = Math.min(max, 1 - (minSecondPx + HANDLE) / size);
    return lo <= hi ? [lo, hi] : [Math.min(lo, max), Math.min(lo, max)];
  }
  const lo = Math.max(min, minSecondPx);
  const hi = Math.min(max, size - HANDLE - minFirstPx);
  return lo <= hi ? [lo, hi] : [min, Math.max(min, hi)];
}
