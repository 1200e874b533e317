// The file catalog's table and the event pipeline that feeds it: EventBridge rule, retries, dead-letter
// queue and its alarm, and the events Lambda's own asynchronous retries.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CATALOG_TABLE, EVENT_MAX_AGE_HOURS } from '../../../contract/catalog-table.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

export function catalogChecks(get: () => Synth): void {
  const table = () => resourcesOfType(get(), 'AWS::DynamoDB::Table')[logicalIdOf(get().stack, get().stack.catalog.table)]!;

  describe('catalog table', () => {
    it('is the one table, on demand, with point-in-time recovery, KMS encryption and deletion protection', () => {
      get().template.resourceCountIs('AWS::DynamoDB::Table', 1);
      expect(table().Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: CATALOG_TABLE.timeToLiveAttribute, Enabled: true },
      });
      expect(table().Properties?.ProvisionedThroughput).toBeUndefined();
    });

    it('is retained when the stack is deleted or the table replaced', () => {
      expect(table().DeletionPolicy).toBe('Retain');
      expect(table().UpdateReplacePolicy).toBe('Retain');
    });

    it("has exactly the contract's keys and indexes, every index projecting all attributes", () => {
      const props = table().Properties!;
      expect(props.KeySchema).toEqual([
        { AttributeName: CATALOG_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: CATALOG_TABLE.sortKey, KeyType: 'RANGE' },
      ]);
      const indexes = props.GlobalSecondaryIndexes as { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[]; Projection: unknown }[];
      expect(indexes.map((i) => [i.IndexName, i.KeySchema.map((k) => `${k.KeyType}:${k.AttributeName}`)])).toEqual(
        CATALOG_TABLE.indexes.map((i) => [i.name, [`HASH:${i.partitionKey}`, `RANGE:${i.sortKey}`]]),
      );
      expect(indexes.every((i) => JSON.stringify(i.Projection) === '{"ProjectionType":"ALL"}')).toBe(true);
      expect((props.AttributeDefinitions as { AttributeType: string }[]).every((a) => a.AttributeType === 'S')).toBe(true);
    });

    it('outputs the table name (CATALOG_TABLE for npm run reconcile)', () => {
      const outputs = get().template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(outputs.CatalogTableName!.Value).toEqual({ Ref: logicalIdOf(get().stack, get().stack.catalog.table) });
    });
  });

  describe('S3 events to the catalog', () => {
    const queueId = () => logicalIdOf(get().stack, get().stack.eventPipeline.deadLetterQueue);
    const eventsFn = () => logicalIdOf(get().stack, get().stack.functions.byName.events);

    it('routes Object Created and Object Deleted under uploads/ of the data bucket to the events Lambda, with retries and the dead-letter queue', () => {
      // The S3 event rule, and GuardDuty's scan-result rule when scanning is on (malware-scan.checks.ts).
      get().template.resourceCountIs('AWS::Events::Rule', get().config.malwareScan === 'off' ? 1 : 2);
      get().template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created', 'Object Deleted'],
          detail: { bucket: { name: [{ Ref: logicalIdOf(get().stack, get().stack.storage.bucket) }] }, object: { key: [{ prefix: 'uploads/' }] } },
        },
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [eventsFn(), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: EVENT_MAX_AGE_HOURS * 3600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] } },
          }),
        ],
      });
    });

    it("sends the events Lambda's failed asynchronous calls to the same queue after two retries", () => {
      get().template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: eventsFn() },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } } },
      });
    });

    it('encrypts the dead-letter queue, refuses plain HTTP to it, and keeps messages 14 days', () => {
      const queue = resourcesOfType(get(), 'AWS::SQS::Queue')[queueId()]!;
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
      get().template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId() }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.eventPipeline.rule), 'Arn'] } } } }),
          ]),
        },
      });
    });

    it('raises an alarm as soon as one message is visible in the dead-letter queue', () => {
      get().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('keeps the events Lambda out of the load balancer', () => {
      const targets = JSON.stringify(resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::TargetGroup'));
      expect(targets).not.toContain(eventsFn());
      const invokers = Object.values(resourcesOfType(get(), 'AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties?.FunctionName).includes(eventsFn()));
      // One permission per EventBridge rule (S3 events, and scan results when scanning is on).
      expect(invokers.map((p) => p.Properties?.Principal)).toEqual(get().config.malwareScan === 'off' ? ['events.amazonaws.com'] : ['events.amazonaws.com', 'events.amazonaws.com']);
    });
  });
}
