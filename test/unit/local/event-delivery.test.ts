// The local portal's stand-in for EventBridge + Lambda's asynchronous retries, in process.
import { describe, expect, it } from 'vitest';
import type { S3EventBridgeEvent } from '../../../contract/s3-events.js';
import { EventDelivery } from '../../../local/catalog/event-delivery.js';
import { s3Event } from '../../support/s3-event.js';

const event = (id: string) => s3Event({ id, key: `uploads/acme/${id}.txt` }) as S3EventBridgeEvent;

describe('EventDelivery', () => {
  it('delivers every event at least once, retrying a failed attempt after a pause', async () => {
    const seen: string[] = [];
    let failures = 1;
    const delivery = new EventDelivery({
      retryDelaysMs: [5, 5],
      handler: async () => async (e) => {
        if (e.id === 'b' && failures-- > 0) throw new Error('busy');
        seen.push(e.id);
      },
    });
    delivery.push(event('a'));
    delivery.push(event('b'));
    await delivery.idle();
    expect(seen.sort()).toEqual(['a', 'b']);
    expect(delivery.attempts.filter((a) => a.eventId === 'b')).toEqual([
      { eventId: 'b', attempt: 1, ok: false },
      { eventId: 'b', attempt: 2, ok: true },
    ]);
    expect(delivery.deadLetters).toEqual([]);
  });

  it('keeps an event that fails every attempt as a dead letter', async () => {
    const lines: string[] = [];
    const delivery = new EventDelivery({ retryDelaysMs: [1, 1], handler: async () => async () => Promise.reject(new Error('broken')), log: (line) => lines.push(line) });
    delivery.push(event('x'));
    await delivery.idle();
    expect(delivery.deadLetters).toEqual([expect.objectContaining({ attempts: 3, event: expect.objectContaining({ id: 'x' }) })]);
    expect(lines.at(-1)).toMatch(/gave up on Object Created uploads\/acme\/x\.txt after 3 attempts: broken/);
  });

  it('holds events back and releases them reordered and duplicated, as tests need', async () => {
    const seen: string[] = [];
    const delivery = new EventDelivery({ concurrency: 1, handler: async () => async (e) => void seen.push(e.id) });
    delivery.hold();
    for (const id of ['1', '2', '3']) delivery.push(event(id));
    await delivery.idle();
    expect(seen).toEqual([]);
    delivery.release((events) => [...events.reverse(), events[0]!]);
    await delivery.idle();
    expect(seen).toEqual(['3', '2', '1', '3']);
  });

  it('makes an attempt fail on request (beforeInvoke)', async () => {
    const delivery = new EventDelivery({ retryDelaysMs: [1], handler: async () => async () => undefined });
    delivery.beforeInvoke = (_e, attempt) => {
      if (attempt === 1) throw new Error('injected');
    };
    delivery.push(event('y'));
    await delivery.idle();
    expect(delivery.attempts.map((a) => a.ok)).toEqual([false, true]);
  });
});
