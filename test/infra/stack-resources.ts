// Stand-ins for what the stack's resources give the Lambda environments (infra/function-environment.ts),
// for the pure tests that render environments without a synth. Every value is set, logout URLs too.
import type { EnvironmentInputs } from '../../infra/function-environment.js';

export const STACK_RESOURCES: Omit<EnvironmentInputs, 'config'> = {
  albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/portal/0123456789abcdef',
  bucketName: 'portal-bucket',
  catalogTableName: 'portal-catalog',
  customer: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', clientId: 'customer-client', logoutUrl: 'https://auth.example.com/logout?client_id=x' },
  admin: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_adm', clientId: 'admin-client', logoutUrl: 'https://auth.example.com/logout?client_id=y' },
  customerPoolId: 'eu-west-1_abc',
  digestQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests',
  webhookQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks',
};
