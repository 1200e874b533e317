// The catalog table as the Lambdas use it: a handful of DynamoDB calls on plain attribute maps, with a
// failed condition answered as `false` instead of an exception. The SDK client is loaded on first use
// (a dynamic import), because the uploads and admin Lambdas' cold starts (bench figure 3) answer
// requests that never touch the catalog; esbuild keeps the module in the one bundle but evaluates it
// only then. Tests wrap a CatalogDb to inject failures between the steps of a change.
import type { AttributeValue, DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** A condition or update expression with its placeholders. */
export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Item;
}

export interface QueryResult {
  items: Item[];
  lastKey: Item | undefined;
  /** Items the query read before its filter (DynamoDB's ScannedCount). */
  scanned: number;
}

export type QueryInput = Omit<QueryCommandInput, 'TableName'>;

export interface CatalogDb {
  readonly table: string;
  get(key: Item, consistent?: boolean): Promise<Item | null>;
  /** false when `condition` did not hold (nothing written). */
  put(item: Item, condition?: Expression): Promise<boolean>;
  /** `update.expression` is the UpdateExpression; false when `condition` did not hold. */
  update(key: Item, update: Expression, condition?: Expression): Promise<boolean>;
  delete(key: Item, condition?: Expression): Promise<boolean>;
  query(input: QueryInput): Promise<QueryResult>;
  /** Puts any number of items, 25 per call, retrying what DynamoDB leaves unprocessed. */
  batchPut(items: Item[]): Promise<void>;
}

export const isConditionFailed = (error: unknown): boolean => (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
/** DynamoDB refused the request's parameters (a start key outside the query, say). */
export const isValidationError = (error: unknown): boolean => (error as { name?: string } | null)?.name === 'ValidationException';

type Sdk = typeof import('./dynamodb-commands.js');

function merge(...expressions: (Expression | undefined)[]): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } {
  const names = Object.assign({}, ...expressions.map((e) => e?.names ?? {})) as Record<string, string>;
  const values = Object.assign({}, ...expressions.map((e) => e?.values ?? {})) as Item;
  return { ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}), ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CatalogDb over an SDK client (tests and the local tools pass one they built). */
export function sdkCatalogDb(table: string, load: () => Promise<{ client: DynamoDBClient; sdk: Sdk }>): CatalogDb {
  let loaded: Promise<{ client: DynamoDBClient; sdk: Sdk }> | undefined;
  const sdk = () => (loaded ??= load());
  const conditional = async (run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  };
  return {
    table,
    async get(key, consistent = true) {
      const { client, sdk: s } = await sdk();
      const result = await client.send(new s.GetItemCommand({ TableName: table, Key: key, ConsistentRead: consistent }));
      return result.Item ?? null;
    },
    async put(item, condition) {
      const { client, sdk: s } = await sdk();
      return conditional(() => client.send(new s.PutItemCommand({ TableName: table, Item: item, ...(condition ? { ConditionExpression: condition.expression } : {}), ...merge(condition) })));
    },
    async update(key, update, condition) {
      const { client, sdk: s } = await sdk();
      return conditional(() =>
        client.send(
          new s.UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: update.expression,
            ...(condition ? { ConditionExpression: condition.expression } : {}),
            ...merge(update, condition),
          }),
        ),
      );
    },
    async delete(key, condition) {
      const { client, sdk: s } = await sdk();
      return conditional(() => client.send(new s.DeleteItemCommand({ TableName: table, Key: key, ...(condition ? { ConditionExpression: condition.expression } : {}), ...merge(condition) })));
    },
    async query(input) {
      const { client, sdk: s } = await sdk();
      const result = await client.send(new s.QueryCommand({ ...input, TableName: table }));
      return { items: result.Items ?? [], lastKey: result.LastEvaluatedKey, scanned: result.ScannedCount ?? result.Items?.length ?? 0 };
    },
    async batchPut(items) {
      const { client, sdk: s } = await sdk();
      for (let start = 0; start < items.length; start += 25) {
        let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
        for (let round = 0; requests.length > 0; round++) {
          if (round > 0) await pause(Math.min(1000, 25 * 2 ** round));
          const result = await client.send(new s.BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
          requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
          if (round > 8 && requests.length) throw new Error(`BatchWriteItem left ${requests.length} items unprocessed`);
        }
      }
    },
  };
}

/** The Lambdas' catalog: CATALOG_TABLE, and DYNAMODB_ENDPOINT for dynalite (local portal) or another stand-in. */
export function createCatalogDb(env: { readonly CATALOG_TABLE: string; readonly DYNAMODB_ENDPOINT?: string | undefined }): CatalogDb {
  return sdkCatalogDb(env.CATALOG_TABLE, async () => {
    const sdk = await import('./dynamodb-commands.js');
    const client = new sdk.DynamoDBClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
    return { client, sdk };
  });
}
