/** How recent a click or key press must be for a link it opens to count as the user's. */
export const GESTURE_WINDOW_MS = 1000;

/** The parts of a mouse or keyboard event the gesture clock looks at. */
export interface GestureInput {
  readonly type: string;
  readonly button?: string;
  readonly key?: string;
}

/**
 * Remembers when the user last clicked (left or middle button released) or pressed Enter or
 * Space in the window, from the input events Electron sees before the page does, so a page
 * cannot fake them. Links are handed to the OS browser only just after such a gesture.
 */
export class UserGestureClock {
  private last = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Feeds one mouse ('before-mouse-event') or keyboard ('before-input-event') event. */
  note(input: GestureInput): void {
    const click = input.type === 'mouseUp' && (input.button === 'left' || input.button === 'middle');
    const key = input.type === 'keyDown' && (input.key === 'Enter' || input.key === ' ');
    if (click || key) this.last = this.now();
  }

  /** Whether something opened now follows a real click or key press. */
  recent(): boolean {
    return this.now() - this.last <= GESTURE_WINDOW_MS;
  }
}
