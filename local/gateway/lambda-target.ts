// Invoking a Lambda handler in process, with a Lambda-like context (request id, function name).
import { randomUUID } from 'node:crypto';
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import type { RouteTarget } from '../../contract/routes.js';

export type AlbHandler = (event: ALBEvent, context?: Context) => Promise<ALBResult>;

export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

export function targetGroupArn(target: RouteTarget): string {
  return `arn:aws:elasticloadbalancing:${LOCAL_REGION}:${LOCAL_ACCOUNT}:targetgroup/local-portal-${target}/0123456789abcdef`;
}

export function lambdaContext(target: RouteTarget): Context {
  const functionName = `local-portal-${target}`;
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
