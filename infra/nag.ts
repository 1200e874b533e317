// Helpers for cdk-nag 3 acknowledgments (Validations.of(construct).acknowledge): a finding on a
// wildcard resource is named after the CloudFormation reference it resolves to, so the id is computed
// here from the same value the policy uses instead of copying logical ids by hand.
import { Stack, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** cdk-nag's rendering of a resolved reference: `<Logical.Arn>/uploads/*` (its utils/flatten-cfn-reference). */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (value['Fn::Sub']) return flattenReference(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flattenReference(value['Fn::ImportValue']);
  if (value.Ref) return `<${flattenReference(value.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard resource of `statement` on `scope` (the role), with
 * `reason` saying why that prefix is the narrowest possible grant.
 */
export function acknowledgeWildcardResources(scope: IConstruct, statement: PolicyStatement, reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of statement.resources) {
    const flat = flattenReference(stack.resolve(resource));
    if (!flat.includes('*')) continue;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason: `${scope.node.path}: ${reason}` });
  }
}
