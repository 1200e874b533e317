// IAM: least privilege per Lambda, no wildcard actions or resources on S3, no users or access keys.
import { describe, expect, it } from 'vitest';
import { CATALOG_TABLE } from '../../../contract/catalog-table.js';
import { ADMIN_COGNITO_ACTIONS } from '../../../infra/permissions.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';
import { type FunctionName, NAMES } from './functions.checks.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every Allow statement granted to the role of `name` (inline default policy). */
export function statementsOf(synth: Synth, name: FunctionName): Statement[] {
  const role = synth.stack.functions.byName[name].role!;
  const roleId = logicalIdOf(synth.stack, role);
  return Object.values(resourcesOfType(synth, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

export const bySid = (statements: Statement[]): Record<string, Statement> => Object.fromEntries(statements.map((s) => [s.Sid ?? '?', s]));

/** A resource as text: the data bucket's ARN becomes `bucket`, so grants read like `s3:GetObject bucket/uploads/*`. */
function renderResource(synth: Synth, resource: unknown): string {
  const bucketArn = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.storage.bucket), 'Arn'] });
  if (JSON.stringify(resource) === bucketArn) return 'bucket';
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : renderResource(synth, part))).join(join[0]);
  return JSON.stringify(resource);
}

/** Every S3 grant of a role, one `action resource [if condition]` line per pair, sorted. */
export function s3Grants(synth: Synth, name: FunctionName): string[] {
  return statementsOf(synth, name)
    .flatMap((s) =>
      list(s.Action)
        .filter((action) => action.startsWith('s3:'))
        .flatMap((action) => list(s.Resource).map((resource) => `${action} ${renderResource(synth, resource)}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''}`)),
    )
    .sort();
}

/** Whether an IAM resource pattern (`*` wildcards only) matches a concrete resource. */
const covers = (pattern: string, resource: string): boolean =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(resource);

export function permissionChecks(get: () => Synth): void {
  const bucketArn = () => ({ 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.storage.bucket), 'Arn'] });
  const under = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn(), `/${prefix}`]] });

  describe('IAM', () => {
    it('creates no IAM users, groups or access keys', () => {
      for (const type of ['AWS::IAM::User', 'AWS::IAM::AccessKey', 'AWS::IAM::Group']) get().template.resourceCountIs(type, 0);
      expect(JSON.stringify(get().template.toJSON())).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    });

    it('grants no wildcard action and no `*` resource in any policy', () => {
      for (const [id, policy] of Object.entries(resourcesOfType(get(), 'AWS::IAM::Policy'))) {
        for (const statement of (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement) {
          expect(statement.Effect, id).toBe('Allow');
          for (const action of list(statement.Action)) expect(action, `${id} ${statement.Sid}`).not.toContain('*');
          for (const resource of list(statement.Resource)) expect(resource, `${id} ${statement.Sid}`).not.toBe('*');
        }
      }
    });

    it('attaches no managed policies to the function roles (no AWSLambdaBasicExecutionRole `*`)', () => {
      for (const name of NAMES) {
        const role = resourcesOfType(get(), 'AWS::IAM::Role')[logicalIdOf(get().stack, get().stack.functions.byName[name].role!)]!;
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
        expect(role.Properties?.Policies).toBeUndefined();
      }
    });

    it.each(NAMES)('%s: writes only its own log group', (name) => {
      const logs = bySid(statementsOf(get(), name)).WriteOwnLogs!;
      expect(list(logs.Action).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(logs.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.functions.byName[name].logGroup), 'Arn'] });
    });

    it('web: no data access at all', () => {
      expect(statementsOf(get(), 'web').map((s) => s.Sid)).toEqual(['WriteOwnLogs']);
    });

    it('uploads: write, abort and list parts under uploads/, write audit events, read only reservations and endpoint records, list only under uploads/', () => {
      const statements = bySid(statementsOf(get(), 'uploads'));
      expect(statements.UploadObjects).toMatchObject({ Resource: under('uploads/*') });
      expect(list(statements.UploadObjects!.Action).sort()).toEqual(['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject']);
      expect(statements.ReadReservations).toMatchObject({ Action: 's3:GetObject', Resource: under('uploads/.portal-pending/*') });
      expect(statements.ReadEndpointRecords).toMatchObject({ Action: 's3:GetObject', Resource: under('_portal/endpoints/*') });
      expect(statements.WriteAuditEvents).toMatchObject({ Action: 's3:PutObject', Resource: under('_portal/audit/*') });
      expect(statements.ListUploads).toMatchObject({ Action: 's3:ListBucket', Resource: bucketArn(), Condition: { StringLike: { 's3:prefix': ['uploads/*'] } } });
      expect(statements.ListMultipartUploads).toMatchObject({
        Action: 's3:ListBucketMultipartUploads',
        Resource: bucketArn(),
        Condition: { StringLikeIfExists: { 's3:prefix': ['uploads/*'] } },
      });
      // Exactly these S3 grants and nothing broader: no GetObject on customers' files, no delete, no bucket-wide object access.
      expect(s3Grants(get(), 'uploads')).toEqual(
        [
          's3:AbortMultipartUpload bucket/uploads/*',
          's3:GetObject bucket/_portal/endpoints/*',
          's3:GetObject bucket/uploads/.portal-pending/*',
          's3:ListBucket bucket if {"StringLike":{"s3:prefix":["uploads/*"]}}',
          's3:ListBucketMultipartUploads bucket if {"StringLikeIfExists":{"s3:prefix":["uploads/*"]}}',
          's3:ListMultipartUploadParts bucket/uploads/*',
          's3:PutObject bucket/_portal/audit/*',
          's3:PutObject bucket/uploads/*',
        ].sort(),
      );
      const actions = statementsOf(get(), 'uploads').flatMap((s) => list(s.Action));
      for (const forbidden of ['s3:DeleteObject', 's3:PutBucketPolicy', 's3:PutObjectAcl']) expect(actions).not.toContain(forbidden);
      expect(actions.filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
    });

    it('admin: read the bucket, write only _portal/, delete files, endpoint records and retired webhook secrets but never audit events, abort unfinished uploads, list', () => {
      const statements = bySid(statementsOf(get(), 'admin'));
      expect(statements.ReadObjects).toMatchObject({ Action: 's3:GetObject', Resource: under('*') });
      expect(statements.WritePortalRecords).toMatchObject({ Action: 's3:PutObject', Resource: under('_portal/*') });
      expect(statements.DeleteFilesAndRecords).toMatchObject({ Action: 's3:DeleteObject' });
      expect(list(statements.DeleteFilesAndRecords!.Resource)).toHaveLength(3);
      expect(list(statements.DeleteFilesAndRecords!.Resource)).toEqual(expect.arrayContaining([under('uploads/*'), under('_portal/endpoints/*'), under('_portal/webhook-secrets/*')]));
      expect(statements.ListBucket).toMatchObject({ Action: 's3:ListBucket', Resource: bucketArn() });
      expect(s3Grants(get(), 'admin')).toEqual(
        [
          's3:AbortMultipartUpload bucket/uploads/*',
          's3:DeleteObject bucket/_portal/endpoints/*',
          's3:DeleteObject bucket/_portal/webhook-secrets/*',
          's3:DeleteObject bucket/uploads/*',
          's3:GetObject bucket/*',
          's3:ListBucket bucket',
          's3:ListBucketMultipartUploads bucket if {"StringLikeIfExists":{"s3:prefix":["uploads/*"]}}',
          's3:PutObject bucket/_portal/*',
          // Releasing a file that could not be scanned: its tags, read and written back with the release tag.
          's3:GetObjectTagging bucket/uploads/*',
          's3:PutObjectTagging bucket/uploads/*',
        ].sort(),
      );
      // The audit trail cannot be erased by the Lambda: no delete grant covers _portal/audit/.
      const deletable = s3Grants(get(), 'admin').filter((grant) => grant.startsWith('s3:DeleteObject ')).map((grant) => grant.split(' ')[1]!);
      for (const resource of deletable) expect(covers(resource, 'bucket/_portal/audit/2026/01/01/event.json'), resource).toBe(false);
    });

    const tableArn = () => ({ 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.catalog.table), 'Arn'] });
    const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${name}`]] });
    const dynamoActions = (name: FunctionName) => statementsOf(get(), name).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('dynamodb:'));

    it('uploads: queries its files from one catalog index, keeps quota holds and reads usage and files by partition, and nothing else of the catalog', () => {
      const statements = bySid(statementsOf(get(), 'uploads'));
      expect(statements.QueryOwnFiles).toMatchObject({ Action: 'dynamodb:Query', Resource: indexArn('endpoint-by-time') });
      expect(statements.KeepQuotaHolds).toMatchObject({ Resource: tableArn(), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#hold#*', '#reserved#*', '#open#*'] } } });
      expect(list(statements.KeepQuotaHolds!.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
      expect(statements.ReadUsageAndFiles).toMatchObject({ Action: 'dynamodb:GetItem', Resource: tableArn(), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#usage#*', '*/'] } } });
      const onTable = statementsOf(get(), 'uploads').filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')) && JSON.stringify(s.Resource) === JSON.stringify(tableArn()));
      for (const statement of onTable) expect(statement.Condition, statement.Sid).toBeDefined();
      for (const absent of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DeleteTable']) expect(dynamoActions('uploads')).not.toContain(absent);
    });

    it('admin: reads the catalog table and every index; writes files, folders and usage (reconcile, released files); never scans or changes the table itself', () => {
      const statements = bySid(statementsOf(get(), 'admin'));
      expect(list(statements.ReadCatalog!.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      const sorted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
      expect(sorted(list(statements.ReadCatalog!.Resource))).toEqual(sorted([tableArn(), ...CATALOG_TABLE.indexes.map((i) => indexArn(i.name))]));
      // Files, folders and usage only (reconcile, a release): never a digest or a quota hold.
      expect(statements.WriteCatalog).toMatchObject({ Resource: tableArn(), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*/', '#usage#*'] } } });
      expect(list(statements.WriteCatalog!.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      for (const absent of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem']) expect(dynamoActions('admin')).not.toContain(absent);
    });

    it('events: HeadObject under uploads/, list under uploads/ (so a missing key is a 404), and the catalog table by key, limited to its partitions', () => {
      const statements = bySid(statementsOf(get(), 'events'));
      expect(s3Grants(get(), 'events')).toEqual([
        's3:GetObject bucket/uploads/*',
        's3:ListBucket bucket if {"StringLikeIfExists":{"s3:prefix":["uploads/*"]}}',
        // The durable file.infected and single-PUT upload.completed records (write only).
        's3:PutObject bucket/_portal/audit/*',
      ]);
      // Files, folders, usage and pending digests by partition: never a quota hold.
      expect(statements.WriteCatalog).toMatchObject({ Resource: tableArn(), Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['*/', '#usage#*', '#digest#*'] } } });
      expect(list(statements.WriteCatalog!.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
      // Its other grants: sending its failed calls to the dead-letter queue, and digest checks to the digest queue.
      const others = statementsOf(get(), 'events').filter((s) => !['ReadUploadMetadata', 'ListUploads', 'WriteCatalog', 'WriteEventAudit', 'WriteOwnLogs', 'UseBucketKey'].includes(s.Sid ?? ''));
      expect([...new Set(others.flatMap((s) => list(s.Action)))].sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      const queueArn = (queue: Parameters<typeof logicalIdOf>[1]) => JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(get().stack, queue), 'Arn'] });
      expect(others.flatMap((s) => list(s.Resource)).map((r) => JSON.stringify(r)).sort()).toEqual(
        [queueArn(get().stack.eventPipeline.deadLetterQueue), queueArn(get().stack.notifications.digestQueue)].sort(),
      );
      // The role a bucket policy on unscanned objects must exempt is easy to name.
      expect(get().stack.functions.eventsRole).toBe(get().stack.functions.byName.events.role);
    });

    it('admin: only the Cognito calls the admin API makes, on the customer pool', () => {
      const statements = bySid(statementsOf(get(), 'admin'));
      expect(list(statements.ManageLogins!.Action).sort()).toEqual([
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminDeleteUser',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminGetUser',
        'cognito-idp:AdminSetUserPassword',
        'cognito-idp:AdminUserGlobalSignOut',
      ]);
      expect(list(statements.ManageLogins!.Action).sort()).toEqual([...ADMIN_COGNITO_ACTIONS].sort());
      expect(statements.ManageLogins!.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.identity.customer.userPool), 'Arn'] });
      const cognito = statementsOf(get(), 'admin').flatMap((s) => list(s.Action)).filter((a) => a.startsWith('cognito-idp:'));
      // AdminUpdateUserAttributes could rebind a login's custom:endpoint to another customer's folder.
      for (const absent of ['cognito-idp:AdminUpdateUserAttributes', 'cognito-idp:AdminResetUserPassword', 'cognito-idp:ListUsers']) expect(cognito).not.toContain(absent);
    });
  });
}
