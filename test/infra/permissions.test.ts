// infra/permissions.ts against the Lambdas' code (pure, no synth): every AWS call the uploads and admin
// Lambdas send is covered by a grant, and the grants stay on their prefixes. A new `...Command(` in code
// the uploads or admin handler loads fails here until it is mapped to its IAM action below and, if
// needed, granted.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_COGNITO_ACTIONS, WILDCARD_REASONS, adminStatements, notifyStatements, uploadsStatements } from '../../infra/permissions.js';
import { AUDIT_PREFIX, ENDPOINTS_PREFIX, PENDING_PREFIX, PORTAL_PREFIX, UPLOADS_PREFIX, webhookSecretKey } from '../../contract/bucket-layout.js';
import { REPO_ROOT } from './cdk-json.js';

/** The IAM action each SDK command is authorised as (S3 authorises by action, not by API name). */
const COMMAND_ACTIONS: Record<string, string> = {
  PutObjectCommand: 's3:PutObject',
  CreateMultipartUploadCommand: 's3:PutObject',
  CompleteMultipartUploadCommand: 's3:PutObject',
  UploadPartCommand: 's3:PutObject',
  AbortMultipartUploadCommand: 's3:AbortMultipartUpload',
  ListPartsCommand: 's3:ListMultipartUploadParts',
  ListMultipartUploadsCommand: 's3:ListBucketMultipartUploads',
  GetObjectCommand: 's3:GetObject',
  GetObjectTaggingCommand: 's3:GetObjectTagging',
  PutObjectTaggingCommand: 's3:PutObjectTagging',
  HeadObjectCommand: 's3:GetObject',
  ListObjectsV2Command: 's3:ListBucket',
  DeleteObjectCommand: 's3:DeleteObject',
  // Multi-object delete is authorised per key as s3:DeleteObject.
  DeleteObjectsCommand: 's3:DeleteObject',
  AdminCreateUserCommand: 'cognito-idp:AdminCreateUser',
  AdminDeleteUserCommand: 'cognito-idp:AdminDeleteUser',
  AdminDisableUserCommand: 'cognito-idp:AdminDisableUser',
  AdminEnableUserCommand: 'cognito-idp:AdminEnableUser',
  AdminGetUserCommand: 'cognito-idp:AdminGetUser',
  AdminSetUserPasswordCommand: 'cognito-idp:AdminSetUserPassword',
  AdminUserGlobalSignOutCommand: 'cognito-idp:AdminUserGlobalSignOut',
};

/** The repo's TypeScript files a Lambda's handler loads: its relative imports, static and dynamic, followed to the end. */
function filesLoadedBy(name: 'uploads' | 'admin' | 'web'): string[] {
  const seen = new Set<string>();
  const pending = [path.join(REPO_ROOT, 'lambdas', name, 'handler.ts')];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(path.resolve(path.dirname(file), `${match[1]!}.ts`));
    }
  }
  return [...seen];
}

/** The SDK commands constructed in the code a Lambda loads. */
function commandsSentBy(name: 'uploads' | 'admin' | 'web'): Set<string> {
  const commands = new Set<string>();
  for (const file of filesLoadedBy(name)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/new\s+(\w+Command)\(/g)) commands.add(match[1]!);
  }
  return commands;
}

const BUCKET = 'arn:aws:s3:::data-bucket';
const POOL = 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Pool';

interface StatementJson {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const json = (statements: ReturnType<typeof uploadsStatements>): StatementJson[] => statements.map((s) => s.toStatementJson() as StatementJson);
const uploads = json(uploadsStatements(BUCKET));
const admin = json(adminStatements(BUCKET, POOL));

/** Whether an IAM resource pattern (`*` wildcards only) matches a concrete ARN. */
const covers = (pattern: string, arn: string): boolean =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(arn);
/** Whether some statement grants `action` on `arn` (conditions aside). */
const allows = (statements: StatementJson[], action: string, arn: string): boolean =>
  statements.some((s) => list(s.Action).includes(action) && list(s.Resource).some((resource) => covers(resource, arn)));

const object = (key: string): string => `${BUCKET}/${key}`;

describe('grants cover every call the Lambdas send', () => {
  it.each([
    ['uploads', uploads],
    ['admin', admin],
  ] as const)('%s: each SDK command maps to a granted action', (name, statements) => {
    const commands = [...commandsSentBy(name)];
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const action = COMMAND_ACTIONS[command];
      expect(action, `${command} is sent by the ${name} Lambda: map it to its IAM action here and grant it in infra/permissions.ts`).toBeDefined();
      expect(statements.flatMap((s) => list(s.Action)), `${command} (${action})`).toContain(action);
    }
  });

  it('web: sends no AWS call at all', () => {
    expect([...commandsSentBy('web')]).toEqual([]);
  });

  it('admin: the Cognito grant is ADMIN_COGNITO_ACTIONS, and every Cognito command it sends is in it', () => {
    const sent = [...commandsSentBy('admin')].map((c) => COMMAND_ACTIONS[c]).filter((a) => a?.startsWith('cognito-idp:'));
    for (const action of sent) expect(ADMIN_COGNITO_ACTIONS as readonly string[]).toContain(action);
    const granted = admin.filter((s) => list(s.Action).some((a) => a.startsWith('cognito-idp:')));
    expect(granted).toEqual([{ Sid: 'ManageLogins', Effect: 'Allow', Action: [...ADMIN_COGNITO_ACTIONS], Resource: POOL }]);
  });
});

describe('uploads grants', () => {
  it('reads reservations and endpoint records, never customers\' files or audit events', () => {
    expect(allows(uploads, 's3:GetObject', object(`${PENDING_PREFIX}acme/0f.json`))).toBe(true);
    expect(allows(uploads, 's3:GetObject', object(`${ENDPOINTS_PREFIX}acme.json`))).toBe(true);
    expect(allows(uploads, 's3:GetObject', object(`${UPLOADS_PREFIX}acme/report.pdf`))).toBe(false);
    expect(allows(uploads, 's3:GetObject', object(`${AUDIT_PREFIX}2026/01/01/e.json`))).toBe(false);
  });

  it('writes audit events under _portal/audit/ (completed uploads), and no other portal record', () => {
    expect(allows(uploads, 's3:PutObject', object(`${AUDIT_PREFIX}all/8226-0123.json`))).toBe(true);
    expect(allows(uploads, 's3:PutObject', object(`${AUDIT_PREFIX}endpoint/acme/8226-0123.json`))).toBe(true);
    expect(allows(uploads, 's3:PutObject', object(`${ENDPOINTS_PREFIX}acme.json`))).toBe(false);
    expect(allows(uploads, 's3:PutObject', object('_portal/other.json'))).toBe(false);
    expect(allows(uploads, 's3:GetObject', object(`${AUDIT_PREFIX}all/8226-0123.json`))).toBe(false);
  });

  it('writes, aborts and lists parts only under uploads/, and deletes nothing', () => {
    for (const action of ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']) {
      expect(allows(uploads, action, object(`${UPLOADS_PREFIX}acme/report.pdf`)), action).toBe(true);
      expect(allows(uploads, action, object(`${ENDPOINTS_PREFIX}acme.json`)), action).toBe(false);
    }
    expect(uploads.flatMap((s) => list(s.Action))).not.toContain('s3:DeleteObject');
  });
});

describe('webhook signing secrets', () => {
  const notify = json(notifyStatements(BUCKET, { table: 'arn:aws:dynamodb:eu-west-1:111111111111:table/catalog', indexNames: [], index: (name: string) => name }));
  const secret = object(webhookSecretKey('acme', '0b9d6e1c-3f43-4d4e-9a55-6f0e8b1c2d3e'));

  it('are out of the customer-facing uploads Lambda\'s reach: it reads endpoint records, not secrets', () => {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(allows(uploads, action, secret), action).toBe(false);
  });

  it('are read by the notify Lambda (to sign), and written, read and retired by the admin Lambda', () => {
    expect(allows(notify, 's3:GetObject', secret)).toBe(true);
    expect(allows(notify, 's3:PutObject', secret)).toBe(false);
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(allows(admin, action, secret), action).toBe(true);
  });
});

describe('admin grants', () => {
  it('reads anything in the bucket (downloads, records, audit)', () => {
    for (const key of [`${UPLOADS_PREFIX}acme/report.pdf`, `${ENDPOINTS_PREFIX}acme.json`, `${AUDIT_PREFIX}2026/01/01/e.json`]) {
      expect(allows(admin, 's3:GetObject', object(key)), key).toBe(true);
    }
  });

  it('writes only the portal\'s records (endpoints, audit), never customers\' files', () => {
    expect(ENDPOINTS_PREFIX.startsWith(PORTAL_PREFIX) && AUDIT_PREFIX.startsWith(PORTAL_PREFIX)).toBe(true);
    expect(allows(admin, 's3:PutObject', object(`${ENDPOINTS_PREFIX}acme.json`))).toBe(true);
    expect(allows(admin, 's3:PutObject', object(`${AUDIT_PREFIX}2026/01/01/e.json`))).toBe(true);
    expect(allows(admin, 's3:PutObject', object(`${UPLOADS_PREFIX}acme/report.pdf`))).toBe(false);
  });

  it('deletes files, reservations and endpoint records, but cannot erase the audit trail', () => {
    expect(allows(admin, 's3:DeleteObject', object(`${UPLOADS_PREFIX}acme/report.pdf`))).toBe(true);
    expect(allows(admin, 's3:DeleteObject', object(`${PENDING_PREFIX}acme/0f.json`))).toBe(true);
    expect(allows(admin, 's3:DeleteObject', object(`${ENDPOINTS_PREFIX}acme.json`))).toBe(true);
    expect(allows(admin, 's3:DeleteObject', object(`${AUDIT_PREFIX}2026/01/01/e.json`))).toBe(false);
    expect(allows(admin, 's3:DeleteObject', object(`${AUDIT_PREFIX}`))).toBe(false);
  });

  it('aborts unfinished uploads only under uploads/ (the purge), and lists them there', () => {
    expect(allows(admin, 's3:AbortMultipartUpload', object(`${UPLOADS_PREFIX}acme/big.bin`))).toBe(true);
    expect(allows(admin, 's3:AbortMultipartUpload', object(`${ENDPOINTS_PREFIX}acme.json`))).toBe(false);
    expect(allows(admin, 's3:AbortMultipartUpload', object(`${AUDIT_PREFIX}2026/01/01/e.json`))).toBe(false);
    expect(allows(admin, 's3:ListBucketMultipartUploads', BUCKET)).toBe(true);
    const listing = admin.find((s) => list(s.Action).includes('s3:ListBucketMultipartUploads'))!;
    expect(listing.Condition).toEqual({ StringLikeIfExists: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } });
  });

  it('lists the bucket, and has no part-upload or bucket-configuration actions', () => {
    expect(allows(admin, 's3:ListBucket', BUCKET)).toBe(true);
    const actions = admin.flatMap((s) => list(s.Action));
    for (const absent of ['s3:ListMultipartUploadParts', 's3:PutBucketPolicy', 's3:PutObjectAcl', 's3:DeleteObjectVersion']) expect(actions).not.toContain(absent);
  });
});

it('explains every wildcard resource (cdk-nag acknowledgment reasons)', () => {
  for (const statement of [...uploads, ...admin]) {
    if (list(statement.Resource).some((resource) => resource.includes('*'))) expect(WILDCARD_REASONS[statement.Sid ?? ''], statement.Sid).toBeDefined();
  }
});
