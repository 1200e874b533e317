// infra/config.ts: defaults, PORTAL_* overrides, and one case per validation error (pure, no synth).
import { describe, expect, it } from 'vitest';
import { ADMIN_ALLOW_LIST_MAX_CHARS, CONFIG_DEFAULTS, CONFIG_KEYS, ConfigError, PASSED_ON_TO_LAMBDAS, type PortalConfig, type PortalConfigInput, envNameOf, loadConfig } from '../../infra/config.js';
import { FUNCTION_NAMES, functionEnvironment } from '../../infra/function-environment.js';
import { LAMBDA_ENV } from '../../contract/lambda-env.js';
import { readCdkJson } from './cdk-json.js';
import { STACK_RESOURCES } from './stack-resources.js';

const BASE: PortalConfigInput = {
  account: '123456789012',
  region: 'eu-west-1',
  domainName: 'portal.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
  firstAdminEmail: 'admin@example.com',
};

const IDP = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'portal',
  clientSecretName: 'portal/oidc-secret',
};

/** The ConfigError thrown for `context` (and `env`); fails the test when nothing is thrown. */
function configError(context: unknown, env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(context, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const withBase = (overrides: Record<string, unknown>): Record<string, unknown> => {
  const merged: Record<string, unknown> = { ...BASE, ...overrides };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
};

describe('loadConfig defaults', () => {
  it('fills every optional key with its documented default', () => {
    const config = loadConfig(BASE, {});
    expect(config).toMatchObject({ ...CONFIG_DEFAULTS, account: BASE.account, region: BASE.region, domainName: BASE.domainName });
    expect(config.cognitoDomainPrefix).toBe('portal-example-com');
    expect(config.admin).toEqual({ kind: 'cognito', firstAdminEmail: 'admin@example.com' });
    // The admin pool holds only invited admins: no allow-list needed.
    expect(config.adminAllowList).toBeNull();
    expect(config.hostedZone).toBeNull();
  });

  it('pins the defaults the README table documents', () => {
    expect(CONFIG_DEFAULTS).toEqual({
      stackName: 'UploadPortal',
      kmsKeyArn: null,
      // A multi-day upload over a slow link must survive (was 2 days).
      incompleteUploadDays: 7,
      uploadExpiryDays: null,
      auditRetentionDays: 400,
      customerSessionTimeoutSeconds: 28_800,
      adminSessionTimeoutSeconds: 3600,
      temporaryPasswordValidityDays: 7,
      mfa: 'required',
      adminRequireEmailVerified: true,
      // Minutes: an outstanding part URL of a removed login stops soon (the page re-signs).
      presignExpiresSeconds: 600,
      maxOpenUploadsPerLogin: 20,
      downloadExpiresSeconds: 900,
      uploadConcurrency: 6,
      sendInvitationEmail: false,
      logRetentionDays: 365,
      albKeysUrl: null,
      reservedConcurrency: { web: 20, uploads: 100, admin: 10, events: 10, notify: 5 },
      accountConcurrency: 1000,
      waf: true,
      wafRateLimitPer5Minutes: 3000,
      // E-mail is off until a verified SES identity is named; digests 5 minutes after the last arrival.
      notificationSender: null,
      notificationQuietSeconds: 300,
      malwareScan: 'block',
      // Alarms show in the console only until an operator names a topic.
      alarmTopicArn: null,
    });
  });

  it('accepts the example config in cdk.json offline, with the AZ context a VPC lookup would need', () => {
    const { context } = readCdkJson();
    const config = loadConfig(context.portal, {});
    expect(config.admin.kind).toBe('oidc');
    expect(config.adminAllowList).toEqual(['@example.com']);
    expect(context[`availability-zones:account=${config.account}:region=${config.region}`]).toHaveLength(3);
    expect(readCdkJson().app).toBe('npx tsx bin/portal.ts');
  });

  it('takes an external OIDC IdP, and a hosted zone instead of a certificate', () => {
    const config = loadConfig(withBase({ firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: null, certificateArn: undefined, hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com.' }), {});
    expect(config.admin).toEqual({ kind: 'oidc', idp: IDP });
    expect(config.hostedZone).toEqual({ id: 'Z0123456789ABC', name: 'example.com' });
    expect(config.certificateArn).toBeNull();
  });
});

describe('adminAllowList', () => {
  const withIdp = (allowList: unknown): Record<string, unknown> => withBase({ firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: allowList });

  it('takes e-mail addresses and @domain entries, lower-cased and without duplicates', () => {
    const config = loadConfig(withIdp(['Jane.Doe@Example.com', '@example.org', 'jane.doe@example.com', '@Sub.Example.NET']), {});
    expect(config.adminAllowList).toEqual(['jane.doe@example.com', '@example.org', '@sub.example.net']);
  });

  it('takes an explicit null with adminIdp: everyone the IdP admits', () => {
    expect(loadConfig(withIdp(null), {}).adminAllowList).toBeNull();
  });

  it('may restrict the admin pool too, as long as the first admin is on the list', () => {
    expect(loadConfig(withBase({ adminAllowList: ['@example.com'] }), {}).adminAllowList).toEqual(['@example.com']);
    expect(loadConfig(withBase({ adminAllowList: ['ADMIN@example.com'] }), {}).adminAllowList).toEqual(['admin@example.com']);
  });

  it('PORTAL_ADMIN_ALLOW_LIST: comma-separated, a JSON array, or null', () => {
    expect(loadConfig(withIdp(null), { PORTAL_ADMIN_ALLOW_LIST: ' a@example.com, @example.org ,' }).adminAllowList).toEqual(['a@example.com', '@example.org']);
    expect(loadConfig(withIdp(null), { PORTAL_ADMIN_ALLOW_LIST: '["b@example.com"]' }).adminAllowList).toEqual(['b@example.com']);
    expect(loadConfig(withIdp(['@example.com']), { PORTAL_ADMIN_ALLOW_LIST: 'null' }).adminAllowList).toBeNull();
    expect(loadConfig(withBase({ firstAdminEmail: undefined }), { PORTAL_ADMIN_IDP: JSON.stringify(IDP), PORTAL_ADMIN_ALLOW_LIST: '@example.com' }).adminAllowList).toEqual(['@example.com']);
  });

  it('reports a bad override entry under the variable', () => {
    const error = configError(withIdp(null), { PORTAL_ADMIN_ALLOW_LIST: '@example.com,*' });
    expect(error.problems).toEqual([expect.objectContaining({ key: 'adminAllowList[1]', source: 'PORTAL_ADMIN_ALLOW_LIST', got: '"*"' })]);
  });

  it('reports invalid JSON once (not also as missing)', () => {
    const error = configError(withBase({ firstAdminEmail: undefined, adminIdp: IDP }), { PORTAL_ADMIN_ALLOW_LIST: '["a@example.com"' });
    expect(error.problems.filter((p) => p.key === 'adminAllowList').map((p) => p.expected)).toEqual(['valid JSON']);
  });
});

describe('alarmTopicArn', () => {
  it('takes a standard topic in the stack\'s region, of this or another account, or PORTAL_ALARM_TOPIC_ARN', () => {
    const topic = 'arn:aws:sns:eu-west-1:210987654321:ops-alarms';
    expect(loadConfig(withBase({ alarmTopicArn: topic }), {}).alarmTopicArn).toBe(topic);
    expect(loadConfig(withBase({}), { PORTAL_ALARM_TOPIC_ARN: topic }).alarmTopicArn).toBe(topic);
    expect(loadConfig(withBase({ alarmTopicArn: topic }), { PORTAL_ALARM_TOPIC_ARN: 'null' }).alarmTopicArn).toBeNull();
  });
});

describe('PORTAL_* environment overrides', () => {
  it('names every key PORTAL_<SCREAMING_SNAKE>', () => {
    expect(envNameOf('domainName')).toBe('PORTAL_DOMAIN_NAME');
    expect(envNameOf('customerSessionTimeoutSeconds')).toBe('PORTAL_CUSTOMER_SESSION_TIMEOUT_SECONDS');
    expect(CONFIG_KEYS.map(envNameOf)).toContain('PORTAL_ADMIN_IDP');
  });

  it('override cdk.json values, parsed by the key\'s type', () => {
    const config = loadConfig(BASE, {
      PORTAL_DOMAIN_NAME: 'upload.example.org',
      PORTAL_INCOMPLETE_UPLOAD_DAYS: '5',
      PORTAL_SEND_INVITATION_EMAIL: 'true',
      PORTAL_MFA: 'optional',
      PORTAL_FIRST_ADMIN_EMAIL: 'null',
      PORTAL_ADMIN_IDP: JSON.stringify(IDP),
      PORTAL_ADMIN_ALLOW_LIST: '@example.com',
    });
    expect(config).toMatchObject({ domainName: 'upload.example.org', incompleteUploadDays: 5, sendInvitationEmail: true, mfa: 'optional' });
    expect(config.admin.kind).toBe('oidc');
  });

  it('`null` unsets an optional key; an empty variable is ignored', () => {
    expect(loadConfig(withBase({ uploadExpiryDays: 30 }), { PORTAL_UPLOAD_EXPIRY_DAYS: 'null' }).uploadExpiryDays).toBeNull();
    expect(loadConfig(withBase({ uploadExpiryDays: 30 }), { PORTAL_UPLOAD_EXPIRY_DAYS: '' }).uploadExpiryDays).toBe(30);
  });

  it('reports a bad override under its variable name', () => {
    const error = configError(BASE, { PORTAL_INCOMPLETE_UPLOAD_DAYS: 'five' });
    expect(error.problems).toEqual([expect.objectContaining({ key: 'incompleteUploadDays', source: 'PORTAL_INCOMPLETE_UPLOAD_DAYS' })]);
    expect(error.message).toContain('incompleteUploadDays (PORTAL_INCOMPLETE_UPLOAD_DAYS): expected an integer number of days from 1 to 365; got "five"');
  });

  it('reports invalid JSON in PORTAL_ADMIN_IDP', () => {
    const error = configError(withBase({ firstAdminEmail: undefined, adminAllowList: null }), { PORTAL_ADMIN_IDP: '{issuer:' });
    expect(error.problems.map((p) => [p.key, p.expected])).toContainEqual(['adminIdp', 'valid JSON']);
  });
});

describe('ConfigError', () => {
  it('reports every problem at once, each with its key and what is expected', () => {
    const error = configError({ region: 'Europe', incompleteUploadDays: 0, mfa: 'sometimes', colour: 'blue' });
    const keys = error.problems.map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['colour', 'account', 'region', 'domainName', 'certificateArn', 'incompleteUploadDays', 'mfa', 'adminIdp']));
    expect(error.code).toBe('invalid_config');
    for (const problem of error.problems) expect(error.message).toContain(`${problem.key} (${problem.source}): expected ${problem.expected}`);
  });

  it('refuses a context that is not an object', () => {
    expect(configError('portal.example.com').problems[0]).toMatchObject({ key: 'portal', expected: 'an object of config keys' });
  });

  // One row per validation rule: [what is wrong, context overrides, key reported, part of the expectation].
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['unknown key', { bucketName: 'x' }, 'bucketName', 'no such key'],
    ['missing account', { account: undefined }, 'account', 'required'],
    ['account not 12 digits', { account: '12345' }, 'account', '12-digit AWS account id'],
    ['missing region', { region: undefined }, 'region', 'required'],
    ['bad region', { region: 'EU-WEST-1' }, 'region', 'AWS region'],
    ['missing domainName', { domainName: undefined }, 'domainName', 'required'],
    ['upper-case domainName', { domainName: 'Portal.Example.com' }, 'domainName', 'lower-case DNS name'],
    ['domainName with a scheme', { domainName: 'https://portal.example.com' }, 'domainName', 'lower-case DNS name'],
    ['no certificate and no zone', { certificateArn: undefined }, 'certificateArn', 'one of the two is required'],
    ['malformed certificate ARN', { certificateArn: 'arn:aws:acm:eu-west-1:123:cert' }, 'certificateArn', 'ACM certificate ARN'],
    ['certificate in another region', { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' }, 'certificateArn', "stack's region eu-west-1"],
    ['zone id without zone name', { hostedZoneId: 'Z0123456789ABC' }, 'hostedZoneName', 'set together'],
    ['zone name without zone id', { hostedZoneName: 'example.com' }, 'hostedZoneId', 'set together'],
    ['malformed zone id', { hostedZoneId: 'zone-1', hostedZoneName: 'example.com' }, 'hostedZoneId', 'Route 53 hosted zone id'],
    ['zone that does not contain the domain', { hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.org' }, 'hostedZoneName', 'contains domainName'],
    ['malformed KMS key ARN', { kmsKeyArn: 'alias/portal' }, 'kmsKeyArn', 'KMS key ARN'],
    ['KMS key in another region', { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012' }, 'kmsKeyArn', "stack's region"],
    ['incompleteUploadDays 0', { incompleteUploadDays: 0 }, 'incompleteUploadDays', 'from 1 to 365'],
    ['incompleteUploadDays as a string', { incompleteUploadDays: '2' }, 'incompleteUploadDays', 'integer number of days'],
    ['uploadExpiryDays fractional', { uploadExpiryDays: 1.5 }, 'uploadExpiryDays', 'integer number of days'],
    ['auditRetentionDays negative', { auditRetentionDays: -1 }, 'auditRetentionDays', 'from 1 to 36500'],
    ['customer session over 7 days', { customerSessionTimeoutSeconds: 604_801 }, 'customerSessionTimeoutSeconds', 'from 60 to 604800'],
    ['admin session under a minute', { adminSessionTimeoutSeconds: 30 }, 'adminSessionTimeoutSeconds', 'from 60 to 604800'],
    ['temporary password valid 0 days', { temporaryPasswordValidityDays: 0 }, 'temporaryPasswordValidityDays', 'from 1 to 365'],
    ['unknown MFA mode', { mfa: 'on' }, 'mfa', '"off", "optional", "required"'],
    ['domain prefix with upper case', { cognitoDomainPrefix: 'Portal' }, 'cognitoDomainPrefix', 'Cognito domain prefix'],
    ['domain prefix with a reserved word', { cognitoDomainPrefix: 'my-aws-portal' }, 'cognitoDomainPrefix', 'without aws/amazon/cognito'],
    ['derived domain prefix too long for the admin pool', { domainName: `${'a'.repeat(50)}.example.com` }, 'cognitoDomainPrefix', 'set cognitoDomainPrefix'],
    ['both adminIdp and firstAdminEmail', { adminIdp: IDP }, 'firstAdminEmail', 'no firstAdminEmail when adminIdp is set'],
    ['neither adminIdp nor firstAdminEmail', { firstAdminEmail: undefined }, 'adminIdp', 'one of the two is required'],
    ['bad firstAdminEmail', { firstAdminEmail: 'admin' }, 'firstAdminEmail', 'e-mail address'],
    ['firstAdminEmail with a leading space', { firstAdminEmail: ' admin@example.com' }, 'firstAdminEmail', 'e-mail address'],
    ['firstAdminEmail not a string', { firstAdminEmail: 42 }, 'firstAdminEmail', 'e-mail address'],
    ['adminIdp not an object', { firstAdminEmail: undefined, adminIdp: 'https://idp.example.com' }, 'adminIdp', 'an object with keys'],
    ['adminIdp with an unknown key', { firstAdminEmail: undefined, adminIdp: { ...IDP, clientSecret: 's3cr3t' } }, 'adminIdp.clientSecret', 'no such key'],
    ['adminIdp endpoint over http', { firstAdminEmail: undefined, adminIdp: { ...IDP, tokenEndpoint: 'http://idp.example.com/token' } }, 'adminIdp.tokenEndpoint', 'https URL'],
    ['adminIdp without issuer', { firstAdminEmail: undefined, adminIdp: { ...IDP, issuer: undefined } }, 'adminIdp.issuer', 'required'],
    ['adminIdp without client id', { firstAdminEmail: undefined, adminIdp: { ...IDP, clientId: undefined } }, 'adminIdp.clientId', 'required'],
    ['adminIdp without client secret name', { firstAdminEmail: undefined, adminIdp: { ...IDP, clientSecretName: undefined } }, 'adminIdp.clientSecretName', 'Secrets Manager secret'],
    ['adminIdp secret name with spaces', { firstAdminEmail: undefined, adminIdp: { ...IDP, clientSecretName: 'my secret' } }, 'adminIdp.clientSecretName', 'Secrets Manager secret'],
    ['adminIdp end-session endpoint over http', { firstAdminEmail: undefined, adminIdp: { ...IDP, endSessionEndpoint: 'http://idp/logout' } }, 'adminIdp.endSessionEndpoint', 'https URL'],
    ['adminIdp without adminAllowList', { firstAdminEmail: undefined, adminIdp: IDP }, 'adminAllowList', 'with adminIdp it must be written out'],
    ['adminAllowList as a string', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: '@example.com' }, 'adminAllowList', 'an array of e-mail addresses'],
    ['adminAllowList empty', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: [] }, 'adminAllowList', 'would lock every admin out'],
    ['adminAllowList entry without a domain', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: ['@example.com', 'admin'] }, 'adminAllowList[1]', 'e-mail address'],
    ['adminAllowList domain entry without a dot', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: ['@localhost'] }, 'adminAllowList[0]', 'domain entry'],
    ['adminAllowList wildcard entry', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: ['*@example.com'] }, 'adminAllowList[0]', 'e-mail address'],
    ['adminAllowList entry with a comma', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: ['a,b@example.com'] }, 'adminAllowList[0]', 'e-mail address'],
    ['adminAllowList entry not a string', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: [42] }, 'adminAllowList[0]', 'e-mail address'],
    ['adminAllowList look-alike entry (Kelvin sign)', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: ['\u212Aelly@example.com'] }, 'adminAllowList[0]', 'ASCII e-mail address'],
    ['adminRequireEmailVerified not a boolean', { adminRequireEmailVerified: 'no' }, 'adminRequireEmailVerified', 'true or false'],
    ['reservedConcurrency over the account', { reservedConcurrency: { uploads: 950 } }, 'reservedConcurrency', '100 of the account\'s 1000'],
    ['accountConcurrency under 10', { accountConcurrency: 5 }, 'accountConcurrency', 'from 10 to 1000000'],
    ['waf not a boolean', { waf: 'on' }, 'waf', 'true or false'],
    ['malwareScan not a mode', { malwareScan: 'scan' }, 'malwareScan', 'block'],
    ['wafRateLimitPer5Minutes under the WAF minimum', { wafRateLimitPer5Minutes: 5 }, 'wafRateLimitPer5Minutes', 'from 10 to'],
    ['maxOpenUploadsPerLogin of 0', { maxOpenUploadsPerLogin: 0 }, 'maxOpenUploadsPerLogin', 'from 1 to 1000'],
    ['notificationSender not an address', { notificationSender: 'portal' }, 'notificationSender', 'verified SES identity'],
    ['notificationQuietSeconds over SQS\'s 900-second delay', { notificationQuietSeconds: 1200 }, 'notificationQuietSeconds', 'from 0 to 900'],
    ['adminAllowList too long for the Lambda environment', { firstAdminEmail: undefined, adminIdp: IDP, adminAllowList: Array.from({ length: 200 }, (_, i) => `admin.number.${i}@example.com`) }, 'adminAllowList', `at most ${ADMIN_ALLOW_LIST_MAX_CHARS} characters`],
    ['adminAllowList that locks out the first admin', { adminAllowList: ['@example.org'] }, 'adminAllowList', 'admits firstAdminEmail admin@example.com'],
    ['part URLs longer than an hour', { presignExpiresSeconds: 3_601 }, 'presignExpiresSeconds', 'from 60 to 3600'],
    ['download URLs under a minute', { downloadExpiresSeconds: 10 }, 'downloadExpiresSeconds', 'from 60 to 43200'],
    ['upload concurrency 0', { uploadConcurrency: 0 }, 'uploadConcurrency', 'from 1 to 20'],
    ['sendInvitationEmail as a string', { sendInvitationEmail: 'yes' }, 'sendInvitationEmail', 'true or false'],
    ['log retention CloudWatch does not offer', { logRetentionDays: 42 }, 'logRetentionDays', 'one of 1, 3, 5'],
    ['ALB keys URL over http', { albKeysUrl: 'http://keys.example.com' }, 'albKeysUrl', 'https URL'],
    ['ALB keys URL with a trailing slash', { albKeysUrl: 'https://keys.example.com/' }, 'albKeysUrl', 'without a trailing slash'],
    ['stack name with spaces', { stackName: 'Upload Portal' }, 'stackName', 'CloudFormation stack name'],
    ['alarm topic given by name', { alarmTopicArn: 'portal-alarms' }, 'alarmTopicArn', 'standard SNS topic ARN'],
    ['alarm topic that is FIFO', { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:portal-alarms.fifo' }, 'alarmTopicArn', 'standard SNS topic ARN'],
    ['alarm topic in another region', { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:portal-alarms' }, 'alarmTopicArn', "stack's region eu-west-1"],
  ];

  it.each(cases)('%s', (_name, overrides, key, expected) => {
    const error = configError(withBase(overrides));
    const problem = error.problems.find((p) => p.key === key);
    expect(problem, `no problem reported for ${key}: ${error.message}`).toBeDefined();
    expect(problem!.expected).toContain(expected);
    expect(error.message).toContain(`${key} (`);
  });

  it('covers every config key with at least one error case', () => {
    const covered = new Set(cases.map(([, , key]) => key.split('.')[0]));
    const uncovered = CONFIG_KEYS.filter((key) => !covered.has(key));
    expect(uncovered).toEqual([]);
  });
});

describe('keys passed on to a Lambda', () => {
  // One definition: the deployment config accepts exactly what the Lambda's environment parser accepts.
  it.each(Object.entries(PASSED_ON_TO_LAMBDAS) as [keyof typeof PASSED_ON_TO_LAMBDAS, (typeof PASSED_ON_TO_LAMBDAS)[keyof typeof PASSED_ON_TO_LAMBDAS]][])('%s takes the bounds and default of %s', (key, variable) => {
    const spec = LAMBDA_ENV[variable];
    expect(CONFIG_DEFAULTS[key]).toBe(spec.default);
    expect(loadConfig(withBase({ [key]: spec.min }), {})[key]).toBe(spec.min);
    expect(loadConfig(withBase({ [key]: spec.max }), {})[key]).toBe(spec.max);
    for (const outside of [spec.min - 1, spec.max + 1]) {
      expect(configError(withBase({ [key]: outside })).problems).toEqual([expect.objectContaining({ key, expected: expect.stringContaining(`from ${spec.min} to ${spec.max}`) })]);
      expect(() => spec.parse(String(outside))).toThrow();
    }
  });

  const environments = (config: PortalConfig): Record<string, string>[] => FUNCTION_NAMES.map((name) => functionEnvironment(name, { ...STACK_RESOURCES, config }));

  it('lists every number of the config that reaches a Lambda variable, and each reaches its own', () => {
    // Change one number at a time and see which variables follow: a new key passed on to a Lambda
    // without its bounds coming from the variable's definition shows up here.
    const config = loadConfig(withBase({ notificationSender: 'portal@example.com' }), {});
    const before = environments(config);
    const reaching: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'number') continue;
      const after = environments({ ...config, [key]: value + 1 });
      const changed = new Set(after.flatMap((env, i) => Object.keys(env).filter((name) => env[name] !== before[i]![name])));
      if (changed.size) reaching[key] = [...changed];
    }
    expect(reaching).toEqual(Object.fromEntries(Object.entries(PASSED_ON_TO_LAMBDAS).map(([key, variable]) => [key, [variable]])));
  });
});

describe('reserved concurrency', () => {
  it('reserves per function by default, lets a deployment change or drop one, or turn all off with null', () => {
    expect(loadConfig(withBase({}), {}).reservedConcurrency).toEqual({ web: 20, uploads: 100, admin: 10, events: 10, notify: 5 });
    expect(loadConfig(withBase({ reservedConcurrency: { uploads: 300, admin: null } }), {}).reservedConcurrency).toEqual({ web: 20, uploads: 300, events: 10, notify: 5 });
    expect(loadConfig(withBase({ reservedConcurrency: null }), {}).reservedConcurrency).toBeNull();
    expect(loadConfig(BASE, { PORTAL_RESERVED_CONCURRENCY: 'null' }).reservedConcurrency).toBeNull();
  });

  it('refuses at synth, in words, reservations that would leave the account fewer than 100 unreserved executions (Lambda would refuse the deploy)', () => {
    const error = configError(withBase({ accountConcurrency: 10 }));
    expect(error.problems).toEqual([expect.objectContaining({ key: 'reservedConcurrency', got: '145 reserved' })]);
    expect(error.message).toMatch(/leave at least 100 of the account's 10 concurrent executions unreserved.*set reservedConcurrency to null/);
    expect(loadConfig(withBase({ accountConcurrency: 10, reservedConcurrency: null }), {}).reservedConcurrency).toBeNull();
    expect(loadConfig(withBase({ accountConcurrency: 245 }), {}).reservedConcurrency).toEqual({ web: 20, uploads: 100, admin: 10, events: 10, notify: 5 });
    expect(configError(withBase({ accountConcurrency: 244 })).problems[0]!.key).toBe('reservedConcurrency');
  });

  it('refuses unknown functions and counts that are not whole numbers', () => {
    expect(configError(withBase({ reservedConcurrency: { upload: 5 } })).problems[0]!.key).toBe('reservedConcurrency.upload');
    expect(configError(withBase({ reservedConcurrency: { web: 0 } })).problems[0]!.key).toBe('reservedConcurrency.web');
    expect(configError(withBase({ reservedConcurrency: { web: 2.5 } })).problems[0]!.key).toBe('reservedConcurrency.web');
  });
});
