/**
 * A fixed-capacity ring buffer: appending past capacity drops the oldest entries in O(1) each,
 * so the log can take millions of lines while holding at most `capacity`.
 */
export class LogRing<T> {
  private readonly buf: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(items: readonly T[]): void {
    for (const item of items) {
      const end = (this.start + this.count) % this.capacity;
      this.buf[end] = item;
      if (this.count < this.capacity) this.count++;
      else this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th oldest entry held. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.buf[(this.start + i) % this.capacity];
  }

  toArray(): T[] {
    const out: T[] = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.buf[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.buf.fill(undefined);
  }
}
