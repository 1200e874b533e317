// The local portal's catalog table (dynalite) is the stack's: the same key, the same attribute
// definitions and the same indexes as contract/catalog-table.ts, nothing more and nothing less. The
// expectations are built from CATALOG_TABLE itself, not from the helpers createTableInput uses.
import { describe, expect, it } from 'vitest';
import { CATALOG_INDEXES, CATALOG_TABLE } from '../../../contract/catalog-table.js';
import { createTableInput, LOCAL_CATALOG_TABLE } from '../../../local/catalog/catalog-table.js';

const input = createTableInput(LOCAL_CATALOG_TABLE);

describe('the local catalog table', () => {
  it('has the table key of CATALOG_TABLE', () => {
    expect(input.TableName).toBe(LOCAL_CATALOG_TABLE);
    expect(input.KeySchema).toEqual([
      { AttributeName: CATALOG_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: CATALOG_TABLE.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('defines exactly the key attributes of the table and its indexes, each once and a string', () => {
    const used = new Set<string>([CATALOG_TABLE.partitionKey, CATALOG_TABLE.sortKey]);
    for (const index of CATALOG_TABLE.indexes) {
      used.add(index.partitionKey);
      used.add(index.sortKey);
    }
    const defined = (input.AttributeDefinitions ?? []).map((a) => a.AttributeName);
    expect(defined).toHaveLength(new Set(defined).size);
    expect(new Set(defined)).toEqual(used);
    expect(input.AttributeDefinitions?.every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('has exactly the indexes of CATALOG_TABLE, with their keys, projecting every attribute', () => {
    const byName = new Map((input.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
    expect(byName.size).toBe(input.GlobalSecondaryIndexes?.length);
    expect([...byName.keys()].sort()).toEqual(Object.values(CATALOG_INDEXES).map((index) => index.name).sort());
    for (const index of CATALOG_TABLE.indexes) {
      expect(byName.get(index.name), index.name).toEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
  });

  it('bills on demand and has no local secondary index (the stack has none)', () => {
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.LocalSecondaryIndexes).toBeUndefined();
  });
});
