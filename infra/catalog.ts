// The file catalog: one DynamoDB table built from contract/catalog-table.ts (the local portal creates
// the same table in dynalite). On demand, point-in-time recovery, encrypted with the AWS-managed key,
// deletion protection, and retained when the stack is deleted (an index of the bucket, but rebuilding
// one of millions of files takes hours of reconcile).
//
// `Table` (AWS::DynamoDB::Table) rather than `TableV2`: cdk-nag's DynamoDB rules inspect only CfnTable,
// and switching the resource type later would replace the table. CloudFormation adds at most one
// global secondary index per update of an existing table: a later change that adds several indexes
// must be deployed one index at a time.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CATALOG_TABLE } from '../contract/catalog-table.js';

export class Catalog extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: CATALOG_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CATALOG_TABLE.sortKey, type: AttributeType.STRING },
      // `Table` defaults to provisioned capacity.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: CATALOG_TABLE.timeToLiveAttribute,
    });
    for (const index of CATALOG_TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** ARNs of the table's indexes, by name (IAM grants name each index they need). */
  indexArn(indexName: string): string {
    return `${this.table.tableArn}/index/${indexName}`;
  }
}
