// The catalog table in dynalite, created from the one definition the stack also uses
// (contract/catalog-table.ts), so the local portal queries the same keys and indexes as AWS.
import { CreateTableCommand, DescribeTableCommand, DeleteTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CATALOG_TABLE, catalogKeyAttributes } from '../../contract/catalog-table.js';

/** The table's name in the local portal (dynalite, like DynamoDB, refuses names under 3 characters). */
export const LOCAL_CATALOG_TABLE = 'portal-catalog';

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: catalogKeyAttributes().map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: CATALOG_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: CATALOG_TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: CATALOG_TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

const isNotFound = (error: unknown) => (error as { name?: string } | null)?.name === 'ResourceNotFoundException';

/**
 * Creates the table unless it exists with the same indexes; a table from an older definition is
 * dropped and created anew (the catalog is an index: reconcile refills it from the bucket). Answers
 * whether the table is new, i.e. empty.
 */
export async function ensureCatalogTable(client: DynamoDBClient, tableName: string): Promise<{ created: boolean }> {
  const wanted = createTableInput(tableName);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const have = (Table?.GlobalSecondaryIndexes ?? []).map((i) => `${i.IndexName}:${i.KeySchema?.map((k) => k.AttributeName).join(',')}`).sort();
    const want = (wanted.GlobalSecondaryIndexes ?? []).map((i) => `${i.IndexName}:${i.KeySchema?.map((k) => k.AttributeName).join(',')}`).sort();
    if (JSON.stringify(have) === JSON.stringify(want)) return { created: false };
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    await waitFor(client, tableName, 'gone');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await client.send(new CreateTableCommand(wanted));
  await waitFor(client, tableName, 'ACTIVE');
  return { created: true };
}

async function waitFor(client: DynamoDBClient, tableName: string, state: 'ACTIVE' | 'gone'): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (state === 'ACTIVE' && Table?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      if (state === 'gone' && isNotFound(error)) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`The catalog table ${tableName} did not become ${state}`);
}
