// The local customer pool is created from the same definitions as the stack's (contract/bucket-layout.ts):
// the endpoint attribute as long as an endpoint name can be, readable but not writable by the app client.
import { describe, expect, it } from 'vitest';
import { ENDPOINT_ATTRIBUTE, ENDPOINT_CLAIM, ENDPOINT_NAME_LENGTH, isEndpointName } from '../../../contract/bucket-layout.js';
import { appClientInput, userPoolInput } from '../../../local/cognito/pool-spec.js';

describe('local customer pool', () => {
  it('has the endpoint attribute with the endpoint name\'s length bounds', () => {
    const attribute = userPoolInput().Schema?.find((entry) => entry.Name === ENDPOINT_ATTRIBUTE);
    expect(attribute).toMatchObject({
      AttributeDataType: 'String',
      Mutable: true,
      StringAttributeConstraints: { MinLength: String(ENDPOINT_NAME_LENGTH.min), MaxLength: String(ENDPOINT_NAME_LENGTH.max) },
    });
    expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.min))).toBe(true);
    expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.min - 1))).toBe(false);
    expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.max))).toBe(true);
    expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.max + 1))).toBe(false);
  });

  it('lets the app client read the endpoint claim but not write it', () => {
    const client = appClientInput('eu-west-1_local', 'http://localhost:3000');
    expect(client.ReadAttributes).toContain(ENDPOINT_CLAIM);
    expect(client.WriteAttributes).not.toContain(ENDPOINT_CLAIM);
    expect(ENDPOINT_CLAIM).toBe('custom:endpoint');
  });
});
