/** Which elements of a dialog can take focus from the keyboard; DOM only, no React. */

const CANDIDATES = 'button, input, select, textarea, a[href], [tabindex]';

/**
 * Whether the user can see `el` inside `root`: not `hidden`, no `display: none` on it or an
 * ancestor up to `root`, and not `visibility: hidden` (which children inherit).
 */
export function isShown(el: HTMLElement, root: HTMLElement): boolean {
  if (getComputedStyle(el).visibility !== 'visible') return false;
  for (let node: HTMLElement | null = el; node && node !== root.parentElement; node = node.parentElement) {
    if (node.hidden || getComputedStyle(node).display === 'none') return false;
  }
  return true;
}

/** Whether `el` takes keyboard focus: enabled, in the tab order, not a hidden input, and shown. */
export function isFocusable(el: HTMLElement, root: HTMLElement): boolean {
  if ((el as HTMLButtonElement).disabled || el.closest('fieldset:disabled')) return false;
  if (el instanceof HTMLInputElement && el.type === 'hidden') return false;
  if (el.tabIndex < 0) return false;
  return isShown(el, root);
}

/**
 * The elements of `root` that Tab may reach, in document order. Elements of a dialog nested
 * inside `root` (the key file chooser opened from the site manager) belong to that dialog.
 */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter(
    (el) => el.closest('[role="dialog"]') === root.closest('[role="dialog"]') && isFocusable(el, root),
  );
}
