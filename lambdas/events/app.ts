// The events Lambda as a function of explicit dependencies: check the event, route it by type to its
// handler, log what happened. An event that is malformed, from elsewhere or about a key outside an
// endpoint's folder is logged and dropped (answered, never retried: retrying cannot make it valid);
// a failure while handling a valid one is thrown, so Lambda and EventBridge retry it and, in the end,
// put it into the dead-letter queue. GuardDuty's scan results take the same path (scan-result.ts).
// The Lambda writes two kinds of audit event, each once per object version: `file.infected`
// (scan-result.ts) and a single-PUT file's `upload.completed` (single-put-audit.ts).
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditWriter } from '../shared/audit-writer.js';
import { sendInfectedAlert } from '../shared/notifications/infected-alert.js';
import { EVENT_HANDLERS, type EventDeps, type EventOutcome } from './event-handlers.js';
import { checkS3Event } from './s3-event.js';
import { auditInfected, handleScanResult, NotYetRecordedError, type OnInfected } from './scan-result.js';
import { checkScanResultEvent, isScanResultEvent } from './scan-result-event.js';

export type EventResult = { status: 'dropped'; reason: string } | { status: 'ignored'; type: string } | { status: 'handled'; results: { key: string; outcome: EventOutcome }[] };

export interface EventsAppDeps extends EventDeps {
  logger: Logger;
  /**
   * Told about each file the scan finds infected (at least once per infected version).
   * @default a durable `file.infected` audit event (AuditWriter.recordOnce), then the immediate alert
   * (e-mail and webhook through the notify Lambda) when notifications are on
   */
  onInfected?: OnInfected;
}

export function createEventsApp(appDeps: EventsAppDeps): (event: unknown) => Promise<EventResult> {
  // The audit trail in the bucket, unless the caller decided (null: no single-PUT events). An infected
  // file is always recorded.
  const bucketTrail = new AuditWriter(appDeps.s3, appDeps.bucket, appDeps.logger);
  const deps: EventsAppDeps = { ...appDeps, audit: appDeps.audit === undefined ? bucketTrail : appDeps.audit };
  const onInfected = deps.onInfected ?? auditAndAlert(deps, deps.audit ?? bucketTrail);
  return async (input) => {
    if (isScanResultEvent(input)) {
      const check = checkScanResultEvent(input, deps.bucket);
      if (!check.ok) {
        deps.logger.warn('event dropped', { reason: check.reason, eventId: check.id, key: check.key });
        return { status: 'dropped', reason: check.reason };
      }
      const { event } = check;
      try {
        const results = await handleScanResult({ ...deps, onInfected }, event);
        deps.logger.info('event handled', { eventId: event.id, type: 'scan result', status: event.status, results });
        return { status: 'handled', results };
      } catch (error) {
        // Overtaking its Object Created event is expected now and then: a warning, and a retry.
        const log = error instanceof NotYetRecordedError ? deps.logger.warn.bind(deps.logger) : deps.logger.error.bind(deps.logger);
        log('event failed', { eventId: event.id, type: 'scan result', key: event.rawKey, error: error as Error });
        throw error;
      }
    }
    const check = checkS3Event(input, deps.bucket);
    if (!check.ok) {
      const log = check.level === 'error' ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
      log('event dropped', { reason: check.reason, eventId: check.id, key: check.key });
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

/** The audit event first (durable, once per version), then the alert; a failure of either is retried with the event. */
function auditAndAlert(deps: EventsAppDeps, trail: Pick<AuditWriter, 'recordOnce'>): OnInfected {
  const audit = auditInfected(trail);
  return async (file) => {
    await audit(file);
    if (!deps.digest) return;
    const alert = { endpoint: file.endpoint, key: file.key, name: file.name, size: file.size, uploadedBy: file.uploadedBy, threats: file.scan.threats };
    // One id per object version: a result delivered twice alerts twice, and webhook receivers deduplicate on it.
    const newId = () => createHash('sha256').update(`${file.key}\n${file.etag}`).digest('hex').slice(0, 32);
    await sendInfectedAlert({ queue: deps.digest.queue, queueUrl: deps.digest.queueUrl, now: deps.now, newId }, alert);
  };
}
