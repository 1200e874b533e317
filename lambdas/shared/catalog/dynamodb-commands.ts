// The part of the DynamoDB client the catalog uses, loaded on first use (catalog-db.ts). Named one by
// one so that the bundle holds these commands only: a dynamic import of the whole client would keep
// every command and its schema, which every cold start then parses (the uploads Lambda's first batch
// call never needs the catalog).
export {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
