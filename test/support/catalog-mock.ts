// The catalog over a DynamoDB client mocked with aws-sdk-client-mock (unit tests): by default every
// Query answers no items and every GetItem no item; tests set the answers they need and read the inputs.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { sdkCatalogDb, type CatalogDb } from '../../lambdas/shared/catalog/catalog-db.js';

export const TEST_CATALOG_TABLE = 'portal-catalog';

export interface MockedCatalog {
  db: CatalogDb;
  ddbMock: AwsClientStub<dynamodb.DynamoDBClient>;
}

export function mockedCatalog(): MockedCatalog {
  const client = new dynamodb.DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const ddbMock = mockClient(client);
  ddbMock.on(dynamodb.QueryCommand).resolves({ Items: [], ScannedCount: 0 });
  ddbMock.on(dynamodb.GetItemCommand).resolves({});
  return { db: sdkCatalogDb(TEST_CATALOG_TABLE, async () => ({ client, sdk: dynamodb })), ddbMock };
}

/**
 * Answers the mocked Query calls on one index from `items`, as DynamoDB would: the partition named by
 * `:p`, ordered by the index's sort key (string order) in the query's direction, resumed after
 * ExclusiveStartKey, cut at Limit with a LastEvaluatedKey. Key conditions on the sort key and filters
 * are not applied (tests of those check the Query input instead).
 */
export function serveIndex(ddbMock: AwsClientStub<dynamodb.DynamoDBClient>, index: { name: string; partitionKey: string; sortKey: string }, items: dynamodb.QueryCommandOutput['Items'] & object): void {
  ddbMock.on(dynamodb.QueryCommand, { IndexName: index.name }).callsFake((input: dynamodb.QueryCommandInput) => {
    const partition = input.ExpressionAttributeValues?.[':p']?.S;
    const sortOf = (item: Record<string, dynamodb.AttributeValue>) => item[index.sortKey]?.S ?? '';
    const ordered = items
      .filter((item) => item[index.partitionKey]?.S === partition && item[index.sortKey]?.S !== undefined)
      .sort((a, b) => (sortOf(a) < sortOf(b) ? -1 : sortOf(a) > sortOf(b) ? 1 : 0));
    if (input.ScanIndexForward === false) ordered.reverse();
    const start = input.ExclusiveStartKey ? ordered.findIndex((item) => item.pk?.S === input.ExclusiveStartKey!.pk?.S && item.sk?.S === input.ExclusiveStartKey!.sk?.S) + 1 : 0;
    const page = ordered.slice(start, start + (input.Limit ?? ordered.length));
    const more = start + page.length < ordered.length;
    const last = page[page.length - 1];
    return { Items: page, ScannedCount: page.length, ...(more && last ? { LastEvaluatedKey: { pk: last.pk!, sk: last.sk!, [index.partitionKey]: last[index.partitionKey]!, [index.sortKey]: last[index.sortKey]! } } : {}) };
  });
}
