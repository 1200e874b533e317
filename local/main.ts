// `npm start`: the whole portal on http://localhost:3000, offline. Settings come from the
// environment (see portalOptionsFromEnv and README "Local portal"); Ctrl-C stops everything.
import { portalOptionsFromEnv } from './portal-options.js';
import { startLocalPortal } from './portal.js';

async function main(): Promise<void> {
  const options = portalOptionsFromEnv();
  const accessLog = process.env.LOCAL_ACCESS_LOG !== 'off';
  console.log(`Starting the local portal (data in ${options.dataDir})...`);
  const portal = await startLocalPortal({ ...options, accessLog: accessLog ? (line) => console.log(`[gateway] ${line}`) : undefined });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local portal...`);
    await portal.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  console.log(
    [
      '',
      `Portal ready: ${portal.url}`,
      `  Admin console:  ${portal.adminUrl}`,
      `  Dev admin:      ${portal.adminCredentials.email} / ${portal.adminCredentials.password}`,
      `  Local S3:       ${portal.s3Url} (bucket ${portal.bucket})`,
      `  Customer pool:  ${portal.cognito.userPoolId}${portal.cognito.endpoint ? ` at ${portal.cognito.endpoint}` : ''}`,
      `  IdPs:           admin ${portal.idps.admin.issuer}, customers ${portal.idps.customer.issuer}`,
      `  Mailbox (SES):  ${portal.notifications.sesUrl}/ (digests ${portal.notifications.quietSeconds} s after the last arrival)`,
      '',
      'Create an upload endpoint in the admin console, then sign in as the customer in another browser',
      '(or a private window) with the temporary password it shows. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error('The local portal could not start:', error instanceof Error ? error.message : error);
  if (error instanceof Error && /EADDRINUSE/.test(error.message)) console.error('A port is taken: set PORT (the other servers use PORT+1 ... PORT+8) or stop the other process.');
  process.exit(1);
});
