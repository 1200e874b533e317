// S3 events to the events Lambda: the bucket sends its events to EventBridge (storage.ts), a rule
// takes Object Created and Object Deleted under uploads/ of this bucket to the events Lambda. Delivery
// is at least once; what cannot be delivered (the rule's retries, up to EVENT_MAX_AGE_HOURS) and what
// the function fails on (Lambda's own retries of an asynchronous call) lands in one encrypted SQS
// dead-letter queue, with an alarm as soon as a message is visible there. What to do then: README "File
// catalog" (fix the cause, run `npm run reconcile`, purge the queue; no need to replay the events).
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UPLOADS_PREFIX } from '../contract/bucket-layout.js';
import { EVENT_MAX_AGE_HOURS } from '../contract/catalog-table.js';
import { S3_EVENT_SOURCE } from '../contract/s3-events.js';
import { GUARDDUTY_EVENT_SOURCE, SCAN_RESULT_DETAIL_TYPE } from '../contract/malware-scan.js';

export interface EventPipelineProps {
  readonly bucket: IBucket;
  /** The events Lambda. */
  readonly handler: IFunction;
  /** Also take GuardDuty's malware scan results of this bucket's uploads/ to the events Lambda. @default false */
  readonly scanResults?: boolean;
}

/** The S3 event types the catalog follows. */
export const CATALOG_EVENT_TYPES = ['Object Created', 'Object Deleted'] as const;
/** The rule's delivery attempts (EventBridge's maximum is 185) within EVENT_MAX_AGE_HOURS. */
export const RULE_RETRY_ATTEMPTS = 185;
/** Lambda's own retries of a failed asynchronous call, and how long it keeps one queued. */
export const FUNCTION_RETRY_ATTEMPTS = 2;
export const FUNCTION_MAX_EVENT_AGE_HOURS = 6;

export class EventPipeline extends Construct {
  readonly rule: Rule;
  /** GuardDuty's scan results, when scanning is on. */
  readonly scanResultRule: Rule | null;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EventPipelineProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // SQS's longest: time to notice the alarm, read the failed events to find the cause, and reconcile.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `${this.deadLetterQueue.node.id} is itself the dead-letter queue of the S3 event rule's target and of the events Lambda's asynchronous calls; a queue behind it would only hide failures.`,
    });

    this.rule = new Rule(this, 'ObjectEvents', {
      description: 'Upload portal: S3 Object Created / Object Deleted under uploads/ to the catalog',
      eventPattern: {
        source: [S3_EVENT_SOURCE],
        detailType: [...CATALOG_EVENT_TYPES],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: Match.prefix(UPLOADS_PREFIX) } },
      },
      targets: [
        new LambdaFunction(props.handler, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: RULE_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(EVENT_MAX_AGE_HOURS),
        }),
      ],
    });

    // The same target settings: retries for a day, then the same dead-letter queue.
    this.scanResultRule = props.scanResults
      ? new Rule(this, 'ScanResults', {
          description: 'Upload portal: GuardDuty malware scan results of uploads/ to the catalog',
          eventPattern: {
            source: [GUARDDUTY_EVENT_SOURCE],
            detailType: [SCAN_RESULT_DETAIL_TYPE],
            detail: { s3ObjectDetails: { bucketName: [props.bucket.bucketName], objectKey: Match.prefix(UPLOADS_PREFIX) } },
          },
          targets: [
            new LambdaFunction(props.handler, {
              deadLetterQueue: this.deadLetterQueue,
              retryAttempts: RULE_RETRY_ATTEMPTS,
              maxEventAge: Duration.hours(EVENT_MAX_AGE_HOURS),
            }),
          ],
        })
      : null;

    props.handler.configureAsyncInvoke({
      retryAttempts: FUNCTION_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(FUNCTION_MAX_EVENT_AGE_HOURS),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'Upload portal: S3 events the catalog could not take are waiting in the dead-letter queue (README "File catalog": fix the cause, run npm run reconcile, then purge the queue)',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
