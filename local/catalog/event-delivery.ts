// EventBridge's part in the local portal: the local S3 server's events go into this in-process queue,
// which invokes the events Lambda's handler (as the gateway runs the ALB's targets) at least once:
// a handler that throws is called again after a growing pause, like Lambda's asynchronous retries,
// and an event that fails every attempt is kept as a dead letter (and logged). Several events are in
// flight at once, so they may finish out of order, as in AWS. Tests hold events back and release
// them reordered or twice, and make an attempt fail (`beforeInvoke`). The malware scanner stand-in's
// results travel the same way, and its work in progress counts as not idle (`track`).
import type { ScanResultEvent } from '../../contract/malware-scan.js';
import type { S3EventBridgeEvent } from '../../contract/s3-events.js';

/** What EventBridge brings the events Lambda: S3's events and GuardDuty's scan results. */
export type PortalEvent = S3EventBridgeEvent | ScanResultEvent;

export type EventHandler = (event: PortalEvent) => Promise<unknown>;

/** The object an event is about, for log lines. */
export const eventObjectKey = (event: PortalEvent): string => ('object' in event.detail ? event.detail.object.key : event.detail.s3ObjectDetails.objectKey);

export interface EventDeliveryOptions {
  /** The events handler, loaded on first use. */
  handler: () => Promise<EventHandler>;
  /** Pauses before each retry. @default [50, 200, 1000, 5000] (five attempts in all) */
  retryDelaysMs?: readonly number[];
  /** Events in flight at once. @default 4 */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface DeadLetter {
  event: PortalEvent;
  error: unknown;
  attempts: number;
}

export interface DeliveryAttempt {
  eventId: string;
  attempt: number;
  ok: boolean;
}

interface Queued {
  event: PortalEvent;
  attempt: number;
}

export class EventDelivery {
  readonly deadLetters: DeadLetter[] = [];
  /** Every attempt, in the order they ended. */
  readonly attempts: DeliveryAttempt[] = [];
  /** Runs before each attempt; throwing makes that attempt fail (tests). */
  beforeInvoke: ((event: PortalEvent, attempt: number) => void | Promise<void>) | null = null;

  private readonly queue: Queued[] = [];
  private readonly held: PortalEvent[] = [];
  private holding = false;
  private running = 0;
  private waiting = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delays: readonly number[];
  private readonly concurrency: number;

  constructor(private readonly options: EventDeliveryOptions) {
    this.delays = options.retryDelaysMs ?? [50, 200, 1000, 5000];
    this.concurrency = options.concurrency ?? 4;
  }

  /** Queues an event (the local S3 server's onEvent). */
  push(event: PortalEvent): void {
    if (this.closed) return;
    if (this.holding) {
      this.held.push(event);
      return;
    }
    this.queue.push({ event, attempt: 1 });
    this.pump();
  }

  /** Counts `work` (a scan in progress, which will push its result) as not idle until it settles. */
  track(work: Promise<unknown>): void {
    if (this.closed) return;
    this.waiting++;
    void work.finally(() => {
      if (this.closed) return; // close() forgot every wait already
      this.waiting--;
      this.pump();
      this.settle();
    });
  }

  /** Keeps new events back until `release` (tests: reorder or duplicate them first). */
  hold(): void {
    this.holding = true;
  }

  /** Delivers what was held, in the order `arrange` gives (default: as they came). */
  release(arrange: (events: PortalEvent[]) => PortalEvent[] = (events) => events): void {
    this.holding = false;
    const events = arrange(this.held.splice(0));
    for (const event of events) this.push(event);
  }

  /** Resolves once nothing is queued, running or waiting for a retry (held events do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what is queued and stops retrying. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting = 0;
    this.settle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.waiting === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.running++;
      void this.deliver(next).finally(() => {
        this.running--;
        this.pump();
        this.settle();
      });
    }
  }

  private async deliver({ event, attempt }: Queued): Promise<void> {
    try {
      await this.beforeInvoke?.(event, attempt);
      const handler = await this.options.handler();
      await handler(event);
      this.attempts.push({ eventId: event.id, attempt, ok: true });
    } catch (error) {
      this.attempts.push({ eventId: event.id, attempt, ok: false });
      if (this.closed) return;
      const delay = this.delays[attempt - 1];
      if (delay === undefined) {
        this.deadLetters.push({ event, error, attempts: attempt });
        this.options.log?.(`[events] gave up on ${event['detail-type']} ${eventObjectKey(event)} after ${attempt} attempts: ${(error as Error).message}`);
        return;
      }
      this.options.log?.(`[events] ${event['detail-type']} ${eventObjectKey(event)} failed (attempt ${attempt}), retrying in ${delay} ms: ${(error as Error).message}`);
      this.waiting++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting--;
        this.queue.push({ event, attempt: attempt + 1 });
        this.pump();
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }
}
