// The Lambdas (web, uploads, admin behind the ALB; events behind EventBridge; notify behind SQS): bundled with esbuild (ESM, minified, source maps, AWS SDK
// v3 bundled and tree-shaken), newest Node.js runtime, arm64, each with its own log group and a role
// that holds only what the contract grants it. The web bundle also holds the pages (web-pages.ts).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import { type PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { PortalConfig } from './config.js';
import { type EnvironmentInputs, type FunctionName, FUNCTION_NAMES, functionEnvironment } from './function-environment.js';
import { LAMBDA_ESBUILD_BANNER, LAMBDA_ESBUILD_TARGET, LAMBDA_MAIN_FIELDS } from './lambda-bundling.js';
import { acknowledgeWildcardResources } from './nag.js';
import { CATALOG_INDEXES, CATALOG_TABLE } from '../contract/catalog-table.js';
import type { Catalog } from './catalog.js';
import {
  type CatalogArns,
  WILDCARD_REASONS,
  adminCatalogStatements,
  adminStatements,
  eventsStatements,
  notifyStatements,
  kmsStatement,
  logStatement,
  uploadsCatalogStatements,
  uploadsStatements,
} from './permissions.js';
import { webPagesBundling } from './web-pages.js';

/** The repository root (this file lives in infra/). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Per-function sizing: signing and listing are CPU-bound, and Lambda CPU grows with memory. */
const SIZING: Record<FunctionName, { memorySize: number; timeout: Duration; description: string }> = {
  web: { memorySize: 256, timeout: Duration.seconds(10), description: 'Upload portal: serves the customer page and the admin console' },
  uploads: { memorySize: 512, timeout: Duration.seconds(30), description: 'Upload portal: multipart control plane (Companion S3 protocol)' },
  admin: { memorySize: 512, timeout: Duration.seconds(30), description: 'Upload portal: endpoints, logins, file browser, audit' },
  events: { memorySize: 256, timeout: Duration.seconds(30), description: 'Upload portal: S3 events to the file catalog' },
  // A batch of webhook attempts may wait WEBHOOK_TIMEOUT_MS each; the queues' visibility timeouts exceed this.
  notify: { memorySize: 256, timeout: Duration.seconds(60), description: 'Upload portal: digest e-mails, alerts and signed webhooks' },
};

export interface FunctionsProps {
  readonly config: Pick<PortalConfig, 'logRetentionDays' | 'region' | 'reservedConcurrency'> & EnvironmentInputs['config'];
  readonly environment: Omit<EnvironmentInputs, 'config' | 'bucketName' | 'catalogTableName'>;
  readonly bucket: IBucket;
  readonly catalog: Catalog;
  readonly encryptionKey: IKey | null;
  /** ARN of the customer pool, on which the admin Lambda manages logins. */
  readonly customerPoolArn: string;
  /** @default PROJECT_ROOT; entries are `lambdas/<name>/handler.ts` below it */
  readonly projectRoot?: string;
}

export class Functions extends Construct {
  readonly byName: Readonly<Record<FunctionName, NodejsFunction>>;
  /** The events Lambda's role: a bucket policy that denies reads of unscanned objects must exempt it. */
  readonly eventsRole: Role;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const root = props.projectRoot ?? PROJECT_ROOT;
    const inputs: EnvironmentInputs = { ...props.environment, config: props.config, bucketName: props.bucket.bucketName, catalogTableName: props.catalog.table.tableName };
    const byName = {} as Record<FunctionName, NodejsFunction>;
    for (const name of FUNCTION_NAMES) {
      byName[name] = this.createFunction(name, root, inputs, props);
    }
    this.byName = byName;
    this.eventsRole = byName.events.role as Role;

    const bucketArn = props.bucket.bucketArn;
    const grant = (fn: NodejsFunction, statement: PolicyStatement): void => {
      fn.addToRolePolicy(statement);
      const reason = statement.sid ? WILDCARD_REASONS[statement.sid] : undefined;
      if (reason && fn.role) acknowledgeWildcardResources(fn.role, statement, reason);
    };
    for (const statement of uploadsStatements(bucketArn)) grant(byName.uploads, statement);
    for (const statement of adminStatements(bucketArn, props.customerPoolArn)) grant(byName.admin, statement);
    const catalog: CatalogArns = { table: props.catalog.table.tableArn, index: (name) => props.catalog.indexArn(name), indexNames: CATALOG_TABLE.indexes.map((i) => i.name) };
    for (const statement of uploadsCatalogStatements(catalog, CATALOG_INDEXES.endpointByTime.name)) grant(byName.uploads, statement);
    for (const statement of adminCatalogStatements(catalog)) grant(byName.admin, statement);
    for (const statement of eventsStatements(bucketArn, catalog)) grant(byName.events, statement);
    for (const statement of notifyStatements(bucketArn, catalog)) grant(byName.notify, statement);
    if (props.encryptionKey) {
      const statement = kmsStatement(props.encryptionKey.keyArn, Stack.of(this).region);
      grant(byName.uploads, statement);
      grant(byName.admin, statement);
      // The events Lambda reads object metadata and writes audit events (file.infected, a single PUT's upload.completed).
      grant(byName.events, statement);
      // Endpoint records are read and audit events written through S3 with the bucket key.
      grant(byName.notify, statement);
    }
    // web: no data access at all; it only serves files from its own bundle.
  }

  private createFunction(name: FunctionName, root: string, inputs: EnvironmentInputs, props: FunctionsProps): NodejsFunction {
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: props.config.logRetentionDays as RetentionDays });
    // An explicit role, so the function does not get AWSLambdaBasicExecutionRole (logs:* on `*`).
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the upload portal's ${name} Lambda`,
    });
    role.addToPolicy(logStatement(logGroup.logGroupArn));

    return new NodejsFunction(this, id, {
      entry: path.join(root, 'lambdas', name, 'handler.ts'),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: path.join(root, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: SIZING[name].memorySize,
      timeout: SIZING[name].timeout,
      description: SIZING[name].description,
      role,
      logGroup,
      environment: functionEnvironment(name, inputs),
      // A flood on one function cannot take the capacity another needs (config `reservedConcurrency`).
      ...(props.config.reservedConcurrency?.[name] !== undefined ? { reservedConcurrentExecutions: props.config.reservedConcurrency[name] } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_ESBUILD_TARGET,
        mainFields: LAMBDA_MAIN_FIELDS,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle AWS SDK v3 (tree-shaken, pinned by the lockfile) instead of the runtime's copy.
        externalModules: [],
        banner: LAMBDA_ESBUILD_BANNER,
        // The web Lambda's bundle also gets the pages, built by Vite during this bundling.
        ...(name === 'web' ? webPagesBundling(root) : {}),
      },
    });
  }
}
