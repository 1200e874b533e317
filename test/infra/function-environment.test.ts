// The Lambda environment schema (contract/lambda-env.ts) holds no variable nothing sets: each one a
// function reads is set by the stack (infra/function-environment.ts, with every optional setting
// configured), by the local portal (local/handler-env.ts) or by the Lambda runtime, and the stack sets
// nothing its function does not read. Pure: no synth.
import { describe, expect, it } from 'vitest';
import { FUNCTION_ENV, FUNCTION_NAMES, type EnvName, type FunctionName } from '../../contract/lambda-env.js';
import { loadConfig } from '../../infra/config.js';
import { functionEnvironment, type EnvironmentInputs } from '../../infra/function-environment.js';
import { localHandlerEnv } from '../../local/handler-env.js';
import { STACK_RESOURCES } from './stack-resources.js';

/** Set by the Lambda runtime itself, never by the stack. */
const SET_BY_RUNTIME: readonly EnvName[] = ['AWS_REGION'];

const config = loadConfig(
  {
    account: '123456789012',
    region: 'eu-west-1',
    domainName: 'portal.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
    firstAdminEmail: 'admin@example.com',
    // Every optional setting that adds a variable when it is configured.
    albKeysUrl: 'https://keys.example.com',
    notificationSender: 'Portal <portal@example.com>',
  },
  {},
);

const stackInputs: EnvironmentInputs = { ...STACK_RESOURCES, config };

const local = localHandlerEnv({
  portalUrl: 'http://localhost:3000',
  albArn: stackInputs.albArn,
  keysUrl: 'http://127.0.0.1:3001/keys',
  region: 'eu-west-1',
  bucketName: 'portal-bucket',
  s3Endpoint: 'http://127.0.0.1:3002',
  s3Origins: ['http://127.0.0.1:3002'],
  cognitoEndpoint: 'http://127.0.0.1:3003',
  catalog: { endpoint: 'http://127.0.0.1:3004', table: 'portal-catalog' },
  userPoolId: 'local_abc',
  customer: { issuer: 'http://127.0.0.1:3005', clientId: 'customer', logoutUrl: '' },
  admin: { issuer: 'http://127.0.0.1:3006', clientId: 'admin', logoutUrl: '' },
  adminAllowList: ['admin@example.com'],
  webRoot: '/tmp/web',
  notifications: { sesEndpoint: 'http://127.0.0.1:3007', sqsEndpoint: 'http://127.0.0.1:3008', digestQueueUrl: 'http://127.0.0.1:3008/q/digests', webhookQueueUrl: 'http://127.0.0.1:3008/q/webhooks', sender: 'portal@example.com', quietSeconds: 60 },
});

describe('the Lambda environment schema', () => {
  it.each(FUNCTION_NAMES)('%s: every variable it reads is set by the stack, the local portal or the runtime', (name: FunctionName) => {
    const stack = functionEnvironment(name, stackInputs);
    const unset = (FUNCTION_ENV[name] as readonly EnvName[]).filter((variable) => !(variable in stack) && !(variable in local) && !SET_BY_RUNTIME.includes(variable));
    expect(unset).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('%s: the stack sets only variables the function reads', (name: FunctionName) => {
    const extra = Object.keys(functionEnvironment(name, stackInputs)).filter((variable) => !(FUNCTION_ENV[name] as readonly string[]).includes(variable));
    expect(extra).toEqual([]);
  });
});
