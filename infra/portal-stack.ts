// The whole portal in one stack: storage, identity, load balancer, functions, wired together, with
// the outputs an operator needs after `cdk deploy`.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { notifyOnAlarms } from './alarm-actions.js';
import { albCallbackUrl } from './cognito-pool.js';
import { type PortalConfig, portalUrl } from './config.js';
import { Catalog } from './catalog.js';
import { EventPipeline } from './event-pipeline.js';
import { Functions } from './functions.js';
import { Identity } from './identity.js';
import { LoadBalancer } from './load-balancer.js';
import { Notifications } from './notifications.js';
import { MalwareScan } from './malware-scan.js';
import { Storage } from './storage.js';
import { WebFirewall } from './waf.js';

export interface PortalStackProps extends Omit<StackProps, 'env'> {
  readonly config: PortalConfig;
  /** @default the repository root */
  readonly projectRoot?: string;
}

export class PortalStack extends Stack {
  readonly storage: Storage;
  readonly identity: Identity;
  readonly loadBalancer: LoadBalancer;
  readonly functions: Functions;
  readonly catalog: Catalog;
  readonly eventPipeline: EventPipeline;
  readonly notifications: Notifications;
  /** GuardDuty malware scanning of uploads; null with malwareScan off. */
  readonly malwareScan: MalwareScan | null;
  /** The web ACL on the load balancer; null when the config turns it off. */
  readonly firewall: WebFirewall | null;

  constructor(scope: Construct, id: string, props: PortalStackProps) {
    const { config, projectRoot, ...stackProps } = props;
    super(scope, id, {
      description: `Upload portal for ${config.domainName}: browser uploads of very large files straight into S3`,
      ...stackProps,
      env: { account: config.account, region: config.region },
    });

    this.storage = new Storage(this, 'Storage', { config });
    this.catalog = new Catalog(this, 'Catalog');
    this.identity = new Identity(this, 'Identity', { config });
    this.loadBalancer = new LoadBalancer(this, 'LoadBalancer', { config, logBucket: this.storage.logBucket });
    const customer = this.identity.customer;
    this.notifications = new Notifications(this, 'Notifications', { notificationSender: config.notificationSender });
    this.functions = new Functions(this, 'Functions', {
      config,
      bucket: this.storage.bucket,
      catalog: this.catalog,
      encryptionKey: this.storage.encryptionKey,
      customerPoolArn: customer.userPool.userPoolArn,
      ...(projectRoot ? { projectRoot } : {}),
      environment: {
        albArn: this.loadBalancer.alb.loadBalancerArn,
        customer: this.identity.customerTokens,
        admin: this.identity.adminTokens,
        customerPoolId: customer.userPool.userPoolId,
        digestQueueUrl: this.notifications.digestQueue.queueUrl,
        webhookQueueUrl: this.notifications.webhookQueue.queueUrl,
      },
    });
    const { web, uploads, admin } = this.functions.byName;
    this.loadBalancer.addRoutes({ targets: { web, uploads, admin }, customer, admin: this.identity.admin });
    this.eventPipeline = new EventPipeline(this, 'Events', { bucket: this.storage.bucket, handler: this.functions.byName.events, scanResults: config.malwareScan !== 'off' });
    this.malwareScan =
      config.malwareScan === 'off'
        ? null
        : new MalwareScan(this, 'MalwareScan', {
            bucket: this.storage.bucket,
            mode: config.malwareScan,
            encryptionKey: this.storage.encryptionKey,
            eventsRole: this.functions.eventsRole,
            adminRole: admin.role!,
            uploadsRole: this.functions.byName.uploads.role!,
          });
    this.notifications.connect({ notify: this.functions.byName.notify, events: this.functions.byName.events });
    this.firewall = config.waf ? new WebFirewall(this, 'WebFirewall', { loadBalancer: this.loadBalancer.alb, rateLimitPer5Minutes: config.wafRateLimitPer5Minutes }) : null;
    // Last, once every construct has made its alarms.
    if (config.alarmTopicArn) notifyOnAlarms(this, config.alarmTopicArn);

    new CfnOutput(this, 'PortalUrl', { value: portalUrl(config), description: 'The portal (customers: /, admins: /admin)' });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'Data bucket (retained when the stack is deleted)' });
    new CfnOutput(this, 'CatalogTableName', { value: this.catalog.table.tableName, description: 'File catalog (DynamoDB; retained when the stack is deleted): CATALOG_TABLE for npm run reconcile' });
    new CfnOutput(this, 'EventsDeadLetterQueueUrl', { value: this.eventPipeline.deadLetterQueue.queueUrl, description: 'S3 events the catalog could not take (alarm on any message)' });
    new CfnOutput(this, 'WebhookDeadLetterQueueUrl', { value: this.notifications.webhookDeadLetterQueue.queueUrl, description: 'Webhooks not delivered within their retries (alarm on any message)' });
    new CfnOutput(this, 'UserPoolId', { value: customer.userPool.userPoolId, description: 'Customers\' Cognito user pool (retained when the stack is deleted)' });
    new CfnOutput(this, 'AlbDnsName', {
      value: this.loadBalancer.alb.loadBalancerDnsName,
      description: config.hostedZone ? 'ALB host name (an alias record points the portal domain at it)' : 'ALB host name: point a CNAME for the portal domain at it',
    });
    new CfnOutput(this, 'AdminCallbackUrl', { value: albCallbackUrl(config.domainName), description: 'Redirect URI to register at the admin IdP' });
    if (this.identity.admin.kind === 'cognito') {
      new CfnOutput(this, 'AdminUserPoolId', { value: this.identity.admin.pool.userPool.userPoolId, description: 'Admins\' Cognito user pool' });
    }
  }
}
