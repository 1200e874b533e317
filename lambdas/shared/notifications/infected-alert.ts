// The hook the malware scanning calls when a file is found infected: the alert goes out at once (no
// digest, no quiet period) as a message on the digest queue without delay, which the notify Lambda
// turns into an e-mail to the endpoint's admin recipients and a `file.infected` webhook. The caller
// (the events Lambda) needs only sqs:SendMessage, never SES or the network beyond AWS.
import { randomUUID } from 'node:crypto';
import type { FileInfectedData } from '../../../contract/notifications.js';
import type { NotificationQueue } from './notification-queue.js';

/** What the alert says of the file (the notify Lambda adds the console link). */
export type InfectedFile = Omit<FileInfectedData, 'consoleUrl'>;

export interface InfectedAlertDeps {
  queue: NotificationQueue;
  /** DIGEST_QUEUE_URL; undefined = notifications are off in this deployment (nothing is sent). */
  queueUrl: string | undefined;
  now: () => Date;
  /** @default randomUUID */
  newId?: () => string;
}

/** Queues the alert for immediate delivery; answers false when notifications are off. */
export async function sendInfectedAlert(deps: InfectedAlertDeps, file: InfectedFile): Promise<boolean> {
  if (!deps.queueUrl) return false;
  await deps.queue.send(deps.queueUrl, { kind: 'infected', file: { ...file, threats: [...file.threats] }, at: deps.now().toISOString(), id: `msg_${(deps.newId ?? randomUUID)()}` }, 0);
  return true;
}
