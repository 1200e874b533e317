// Creates the customer pool and its app client on first start and reuses them afterwards (their
// ids are saved in the data folder), so logins created by the admin console survive a restart.
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { readJsonFile, writeJsonFile } from '../data-dir.js';
import { appClientInput, userPoolInput } from './pool-spec.js';

export interface CustomerPool {
  userPoolId: string;
  clientId: string;
  clientSecret: string;
}

const isPool = (v: unknown): v is CustomerPool =>
  typeof (v as CustomerPool)?.userPoolId === 'string' && typeof (v as CustomerPool).clientId === 'string' && typeof (v as CustomerPool).clientSecret === 'string';

async function stillExists(cognito: CognitoIdentityProviderClient, pool: CustomerPool): Promise<boolean> {
  try {
    await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }));
    const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }));
    return UserPoolClient?.ClientSecret === pool.clientSecret;
  } catch (error) {
    if (['ResourceNotFoundException', 'UserPoolNotFoundException'].includes((error as Error).name)) return false;
    throw error;
  }
}

export async function ensureCustomerPool(cognito: CognitoIdentityProviderClient, savedFile: string, portalUrl: string): Promise<CustomerPool> {
  const saved = await readJsonFile<unknown>(savedFile);
  if (isPool(saved) && (await stillExists(cognito, saved))) return saved;
  const { UserPool } = await cognito.send(new CreateUserPoolCommand(userPoolInput()));
  const userPoolId = UserPool?.Id;
  if (!userPoolId) throw new Error('CreateUserPool returned no pool id');
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand(appClientInput(userPoolId, portalUrl)));
  if (!UserPoolClient?.ClientId || !UserPoolClient.ClientSecret) throw new Error('CreateUserPoolClient returned no client id or secret');
  const pool = { userPoolId, clientId: UserPoolClient.ClientId, clientSecret: UserPoolClient.ClientSecret };
  await writeJsonFile(savedFile, pool);
  return pool;
}
