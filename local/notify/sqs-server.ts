// The SQS API of the local queues, as much of it as the Lambdas call: SendMessage (with DelaySeconds)
// and ChangeMessageVisibility (refused past 12 h from the receive, as SQS does), in the AWS JSON 1.0 protocol the SDK speaks (`X-Amz-Target:
// AmazonSQS.<Operation>`). The SDK checks the MD5 of the body SendMessage answers, so it is computed.
// Signatures are not checked: the server listens on loopback only.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SQS_MAX_VISIBILITY_SECONDS } from '../../contract/notifications.js';
import type { LocalQueues } from './local-queues.js';

const JSON_TYPE = 'application/x-amz-json-1.0';

function answer(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, ...(errorType ? { 'x-amzn-query-error': `${errorType};Sender` } : {}) }).end(JSON.stringify(body));
}

const fail = (res: ServerResponse, status: number, type: string, message: string) => answer(res, status, { __type: `com.amazonaws.sqs#${type}`, message }, `AWS.SimpleQueueService.${type}`);

export function createSqsListener(queues: LocalQueues): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return fail(res, 400, 'InvalidParameterValue', 'The body is not JSON');
    }
    switch (target) {
      case 'AmazonSQS.SendMessage': {
        const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
        const delay = typeof input.DelaySeconds === 'number' ? input.DelaySeconds : 0;
        if (!body) return fail(res, 400, 'MissingParameter', 'MessageBody is required');
        if (!Number.isInteger(delay) || delay < 0 || delay > 900) return fail(res, 400, 'InvalidParameterValue', 'DelaySeconds must be 0 to 900');
        const sent = queues.send(typeof input.QueueUrl === 'string' ? input.QueueUrl : '', body, delay);
        if (!sent) return fail(res, 400, 'QueueDoesNotExist', 'The specified queue does not exist.');
        return answer(res, 200, { MessageId: sent.messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') });
      }
      case 'AmazonSQS.ChangeMessageVisibility': {
        const seconds = input.VisibilityTimeout;
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > SQS_MAX_VISIBILITY_SECONDS) return fail(res, 400, 'InvalidParameterValue', `VisibilityTimeout must be 0 to ${SQS_MAX_VISIBILITY_SECONDS}`);
        const changed = queues.changeVisibility(typeof input.ReceiptHandle === 'string' ? input.ReceiptHandle : '', seconds);
        if (changed === 'no-receipt') return fail(res, 400, 'ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
        // SQS counts the 12 h from the receive, and refuses (does not clamp) a visibility beyond them.
        if (changed === 'too-long') return fail(res, 400, 'InvalidParameterValue', `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${SQS_MAX_VISIBILITY_SECONDS} seconds]`);
        return answer(res, 200, {});
      }
      default:
        return fail(res, 400, 'InvalidAction', `The local SQS stand-in does not implement ${target || 'this request'}`);
    }
  };
}
