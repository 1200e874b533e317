// Notifications: the digest and webhook queues with their dead-letter queues and alarms, the delay
// mechanism (DelaySeconds per message, bounded by the quiet period's config), the notify Lambda as their
// consumer with partial batch failures, least privilege, and SES scoped to the sender's identity.
import { describe, expect, it } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetrySpanSeconds } from '../../../contract/notifications.js';
import { DIGEST_MAX_RECEIVES } from '../../../contract/notifications.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';
import { environmentOf, functionProps } from './functions.checks.js';
import { bySid, statementsOf } from './permissions.checks.js';

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export function notificationChecks(get: () => Synth): void {
  const n = () => get().stack.notifications;
  const id = (construct: Parameters<typeof logicalIdOf>[1]) => logicalIdOf(get().stack, construct);
  const queue = (construct: Parameters<typeof logicalIdOf>[1]) => resourcesOfType(get(), 'AWS::SQS::Queue')[id(construct)]!.Properties!;
  const arn = (construct: Parameters<typeof logicalIdOf>[1]) => ({ 'Fn::GetAtt': [id(construct), 'Arn'] });

  describe('notifications', () => {
    it('digest queue: encrypted, redrives to its dead-letter queue after a few receives', () => {
      expect(queue(n().digestQueue)).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: arn(n().digestDeadLetterQueue), maxReceiveCount: DIGEST_MAX_RECEIVES },
      });
    });

    it('webhook queue: WEBHOOK_MAX_ATTEMPTS receives (over 24 h of backoff) before its dead-letter queue, kept longer than the retries take', () => {
      const props = queue(n().webhookQueue);
      expect(props).toMatchObject({ SqsManagedSseEnabled: true, RedrivePolicy: { deadLetterTargetArn: arn(n().webhookDeadLetterQueue), maxReceiveCount: WEBHOOK_MAX_ATTEMPTS } });
      expect(webhookRetrySpanSeconds()).toBeGreaterThanOrEqual(86_400);
      expect(props.MessageRetentionPeriod as number).toBeGreaterThan(webhookRetrySpanSeconds());
    });

    it('dead-letter queues keep messages 14 days, and an alarm fires on the first one', () => {
      for (const dlq of [n().digestDeadLetterQueue, n().webhookDeadLetterQueue]) {
        expect(queue(dlq)).toMatchObject({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
        const alarms = Object.values(resourcesOfType(get(), 'AWS::CloudWatch::Alarm')).filter((a) => JSON.stringify(a.Properties?.Dimensions).includes(id(dlq)));
        expect(alarms).toHaveLength(1);
        expect(alarms[0]!.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      }
    });

    it('the notify Lambda consumes both queues with partial batch failures, reserved concurrency as configured', () => {
      const mappings = Object.values(resourcesOfType(get(), 'AWS::Lambda::EventSourceMapping')).map((m) => m.Properties!);
      const notifyRef = { Ref: id(get().stack.functions.byName.notify) };
      const ofNotify = mappings.filter((m) => JSON.stringify(m.FunctionName) === JSON.stringify(notifyRef));
      expect(ofNotify.map((m) => JSON.stringify(m.EventSourceArn)).sort()).toEqual([JSON.stringify(arn(n().digestQueue)), JSON.stringify(arn(n().webhookQueue))].sort());
      for (const m of ofNotify) expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(functionProps(get(), 'notify').ReservedConcurrentExecutions).toBe(get().config.reservedConcurrency?.notify);
    });

    it('the quiet period and queue URLs reach the events and notify Lambdas; loopback webhooks are never allowed in AWS', () => {
      const quiet = String(get().config.notificationQuietSeconds);
      expect(environmentOf(get(), 'events')).toMatchObject({ DIGEST_QUEUE_URL: { Ref: id(n().digestQueue) }, NOTIFICATION_QUIET_SECONDS: quiet });
      expect(environmentOf(get(), 'notify')).toMatchObject({ DIGEST_QUEUE_URL: { Ref: id(n().digestQueue) }, WEBHOOK_QUEUE_URL: { Ref: id(n().webhookQueue) }, NOTIFICATION_QUIET_SECONDS: quiet });
      for (const name of ['admin', 'notify'] as const) expect(environmentOf(get(), name).WEBHOOK_ALLOW_LOOPBACK_HTTP).toBeUndefined();
    });

    it('notify: endpoint records, its audit events and pending digests only; sends to both queues', () => {
      const statements = bySid(statementsOf(get(), 'notify'));
      expect(JSON.stringify(statements.ReadEndpointRecords!.Resource)).toContain('/_portal/endpoints/*');
      expect(statements.ReadEndpointRecords!.Action).toBe('s3:GetObject');
      // The signing secrets, apart from the records (the uploads Lambda reads those).
      expect(JSON.stringify(statements.ReadWebhookSecrets!.Resource)).toContain('/_portal/webhook-secrets/*');
      expect(statements.ReadWebhookSecrets!.Action).toBe('s3:GetObject');
      expect(JSON.stringify(statements.WriteDeliveryAudit!.Resource)).toContain('/_portal/audit/*');
      expect(statements.WriteDeliveryAudit!.Action).toBe('s3:PutObject');
      expect(list(statements.TakeDigests!.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
      // Pending digests only: no file, usage or quota item.
      expect(statements.TakeDigests!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#digest#*'] } });
      const s3 = statementsOf(get(), 'notify').flatMap((s) => list(s.Action)).filter((a) => a.startsWith('s3:'));
      expect([...new Set(s3)].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
      const sends = statementsOf(get(), 'notify').filter((s) => list(s.Action).includes('sqs:SendMessage'));
      expect(sends.flatMap((s) => list(s.Resource)).map((r) => JSON.stringify(r)).sort()).toEqual([JSON.stringify(arn(n().digestQueue)), JSON.stringify(arn(n().webhookQueue))].sort());
    });
  });
}

/** With config notificationSender: ses:SendEmail on exactly the sender's address and domain identities. */
export function senderChecks(get: () => Synth): void {
  it('notify may send e-mail from the sender identity only (address or its domain), nothing else of SES', () => {
    const ses = statementsOf(get(), 'notify').filter((s) => list(s.Action).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toBe('ses:SendEmail');
    const resources = JSON.stringify(list(ses[0]!.Resource));
    expect(resources).toContain(':identity/portal@example.com');
    expect(resources).toContain(':identity/example.com');
    expect(list(ses[0]!.Resource)).toHaveLength(2);
    expect(environmentOf(get(), 'notify').NOTIFICATION_SENDER).toBe(get().config.notificationSender);
    for (const name of ['web', 'uploads', 'admin', 'events'] as const) expect(JSON.stringify(statementsOf(get(), name))).not.toContain('ses:');
  });
}
