// IAM: least privilege per Lambda, no wildcard actions or resources on S3, no users or access keys.
import { describe, expect, it } from 'vitest';
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

    it('uploads: multipart on uploads/* only, read endpoint records, list only under uploads/', () => {
      const statements = bySid(statementsOf(get(), 'uploads'));
      expect(statements.UploadObjects).toMatchObject({ Resource: under('uploads/*') });
      expect(list(statements.UploadObjects!.Action).sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
      expect(statements.ReadEndpointRecords).toMatchObject({ Action: 's3:GetObject', Resource: under('_portal/endpoints/*') });
      expect(statements.ListUploads).toMatchObject({ Action: 's3:ListBucket', Resource: bucketArn(), Condition: { StringLike: { 's3:prefix': ['uploads/*'] } } });
      expect(statements.ListMultipartUploads).toMatchObject({
        Action: 's3:ListBucketMultipartUploads',
        Resource: bucketArn(),
        Condition: { StringLikeIfExists: { 's3:prefix': ['uploads/*'] } },
      });
      const actions = statementsOf(get(), 'uploads').flatMap((s) => list(s.Action));
      for (const forbidden of ['s3:DeleteObject', 's3:PutBucketPolicy', 's3:PutObjectAcl']) expect(actions).not.toContain(forbidden);
      expect(actions.filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
    });

    it('admin: objects and listing in this bucket, and only its Cognito admin actions on the customer pool', () => {
      const statements = bySid(statementsOf(get(), 'admin'));
      expect(statements.ManageObjects).toMatchObject({ Resource: under('*') });
      expect(list(statements.ManageObjects!.Action).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
      expect(statements.ListBucket).toMatchObject({ Action: 's3:ListBucket', Resource: bucketArn() });
      expect(list(statements.ManageLogins!.Action).sort()).toEqual([...ADMIN_COGNITO_ACTIONS].sort());
      expect(statements.ManageLogins!.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(get().stack, get().stack.identity.customer.userPool), 'Arn'] });
    });
  });
}
