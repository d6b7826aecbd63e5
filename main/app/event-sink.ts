import type { EventChannel, EventChannels } from '../../shared/ipc/contract';

/** Where main's events go: the Electron window, the dev bridge's sockets, or a test array. */
export interface EventSink {
  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void;
}

/** A sink that fans out to several (e.g. every bridge client). */
export class FanOutSink implements EventSink {
  private readonly sinks = new Set<EventSink>();

  add(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventChannel>(channel: E, payload: EventChannels[E]): void {
    for (const s of this.sinks) s.emit(channel, payload);
  }
}
