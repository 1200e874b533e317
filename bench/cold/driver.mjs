// Cold-start driver, run by a fresh `node` (no tsx, no loader hooks): imports one bundle, calls its
// handler once with the event in argv[3], and prints one result line. Times are taken with
// performance.now(), whose origin is this process's start, so `sinceProcessStartMs` includes Node's
// own boot and `importMs + firstAnswerMs` is the bundle's cost alone.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
  memoryLimitInMB: '512',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

const started = performance.now();
const module = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const result = await module.handler(event, context);
const answered = performance.now();
// Marked, because the handlers' own log lines share stdout.
process.stdout.write(
  `\nBENCH_RESULT ${JSON.stringify({ importMs: imported - started, firstAnswerMs: answered - imported, sinceProcessStartMs: answered, status: result?.statusCode ?? null })}\n`,
);
// Open sockets (keep-alive agents) must not keep the process alive.
process.exit(0);
