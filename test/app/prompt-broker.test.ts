import { describe, expect, it } from 'vitest';
import type { EventChannel } from '../../shared/ipc/contract';
import { PromptBroker } from '../../main/app/prompt-broker';

function recorder() {
  const events: { channel: EventChannel; payload: unknown }[] = [];
  return { events, sink: { emit: (channel: EventChannel, payload: unknown) => void events.push({ channel, payload }) } };
}

describe('PromptBroker', () => {
  it('sends a prompt:request and resolves with the answer', async () => {
    const r = recorder();
    const broker = new PromptBroker(r.sink);
    const pending = broker.ask({ kind: 'plain-ftp', host: 'h', port: 21, reason: 'AUTH refused' });
    await Promise.resolve();
    await Promise.resolve();
    const req = r.events.find((e) => e.channel === 'prompt:request')!.payload as { id: string };
    broker.answer(req.id, 'once');
    expect(await pending).toBe('once');
  });

  it('asks one question at a time, in order', async () => {
    const r = recorder();
    const broker = new PromptBroker(r.sink);
    const a = broker.ask({ kind: 'secret', purpose: 'password', subject: 'a' });
    const b = broker.ask({ kind: 'secret', purpose: 'password', subject: 'b' });
    await new Promise((res) => setTimeout(res, 5));
    expect(r.events.filter((e) => e.channel === 'prompt:request')).toHaveLength(1);
    broker.answer((r.events[0]!.payload as { id: string }).id, { value: '1' });
    expect(await a).toEqual({ value: '1' });
    await new Promise((res) => setTimeout(res, 5));
    expect(r.events.filter((e) => e.channel === 'prompt:request')).toHaveLength(2);
    broker.answer((r.events[1]!.payload as { id: string }).id, null);
    expect(await b).toBeNull();
  });

  it('lists the open question for a reloaded window until it is answered or aborted', async () => {
    const r = recorder();
    const broker = new PromptBroker(r.sink);
    expect(broker.pending()).toEqual([]);
    const abort = new AbortController();
    const a = broker.ask({ kind: 'plain-ftp', host: 'h', port: 21, reason: 'AUTH refused' }, abort.signal);
    const b = broker.ask({ kind: 'secret', purpose: 'password', subject: 'b' });
    await new Promise((res) => setTimeout(res, 5));
    const first = r.events[0]!.payload as { id: string };
    expect(broker.pending()).toEqual([{ id: first.id, request: { kind: 'plain-ftp', host: 'h', port: 21, reason: 'AUTH refused' } }]);
    abort.abort();
    expect(await a).toBeNull();
    await new Promise((res) => setTimeout(res, 5));
    expect(broker.pending().map((p) => p.request.kind)).toEqual(['secret']);
    broker.answer(broker.pending()[0]!.id, { value: 'x' });
    expect(await b).toEqual({ value: 'x' });
    expect(broker.pending()).toEqual([]);
  });

  it('refuses answers to unknown questions and cancels on abort', async () => {
    const r = recorder();
    const broker = new PromptBroker(r.sink);
    expect(() => broker.answer('nope', 'once')).toThrow(/no longer open/);
    const ctrl = new AbortController();
    const p = broker.ask({ kind: 'host-key', host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' }, ctrl.signal);
    await new Promise((res) => setTimeout(res, 5));
    ctrl.abort();
    expect(await p).toBeNull();
    expect(r.events.map((e) => e.channel)).toEqual(['prompt:request', 'prompt:closed']);
  });
});
