import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * The laid-out size (px) of an element along one axis, kept current as the window or a split
 * changes it. 0 until measured, and where ResizeObserver is missing (jsdom): callers then keep
 * their unconstrained layout.
 */
export function useElementSize(ref: RefObject<HTMLElement | null>, axis: 'width' | 'height' = 'width'): number {
  const [size, setSize] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const read = (): void => {
      const r = el.getBoundingClientRect();
      setSize(Math.round(axis === 'width' ? r.width : r.height));
    };
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, axis]);
  return size;
}
