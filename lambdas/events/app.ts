// The events Lambda as a function of explicit dependencies: check the event, route it by type to its
// handler, log what happened. An event that is malformed, from elsewhere or about a key outside an
// endpoint's folder is logged and dropped (answered, never retried: retrying cannot make it valid);
// a failure while handling a valid one is thrown, so Lambda and EventBridge retry it and, in the end,
// put it into the dead-letter queue.
import type { Logger } from '@aws-lambda-powertools/logger';
import { EVENT_HANDLERS, type EventDeps, type EventOutcome } from './event-handlers.js';
import { checkS3Event } from './s3-event.js';

export type EventResult = { status: 'dropped'; reason: string } | { status: 'ignored'; type: string } | { status: 'handled'; results: { key: string; outcome: EventOutcome }[] };

export function createEventsApp(deps: EventDeps & { logger: Pick<Logger, 'info' | 'warn' | 'error'> }): (event: unknown) => Promise<EventResult> {
  return async (input) => {
    const check = checkS3Event(input, deps.bucket);
    if (!check.ok) {
      deps.logger.warn('event dropped', { reason: check.reason, eventId: check.id, key: check.key });
      return { status: 'dropped', reason: check.reason };
    }
    const { event } = check;
    const handle = EVENT_HANDLERS[event.type];
    if (!handle) {
      deps.logger.info('event ignored', { eventId: event.id, type: event.type, key: event.rawKey });
      return { status: 'ignored', type: event.type };
    }
    try {
      const results = await handle(deps, event);
      deps.logger.info('event handled', { eventId: event.id, type: event.type, results });
      return { status: 'handled', results };
    } catch (error) {
      deps.logger.error('event failed', { eventId: event.id, type: event.type, key: event.rawKey, error: error as Error });
      throw error;
    }
  };
}
