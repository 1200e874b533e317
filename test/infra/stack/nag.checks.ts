// cdk-nag AwsSolutionsChecks: no unacknowledged finding, and every acknowledgment names its resource and why.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { Synth } from '../synth.js';

interface Acknowledgment {
  path: string;
  construct: IConstruct;
  id: string;
  reason: string;
}

/** The cdk-nag acknowledgments (CDK itself acknowledges some of its own CloudFormation-Validate warnings). */
function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>))
      .map(([id, value]) => ({
        path: construct.node.path,
        construct,
        id: id.replace(/^annotation::/i, ''),
        reason: typeof value === 'string' ? value : String((value as { reason?: string }).reason ?? JSON.stringify(value)),
      }))
      .filter((ack) => ack.id.startsWith('AwsSolutions-')),
  );
}

export function nagChecks(get: () => Synth): void {
  describe('cdk-nag AwsSolutionsChecks', () => {
    it('reports no unacknowledged finding (errors or warnings)', () => {
      const findings = get().nagViolations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`);
      expect(findings).toEqual([]);
    });

    it('acknowledges each rule on a specific resource, never on the stack or app', () => {
      const all = acknowledgments(get().app);
      expect(all.length).toBeGreaterThan(0);
      for (const ack of all) {
        expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
        expect(ack.construct, ack.id).not.toBe(get().stack);
        expect(ack.construct, ack.id).not.toBe(get().app);
      }
    });

    it('gives every acknowledgment a specific reason that names the resource', () => {
      for (const ack of acknowledgments(get().app)) {
        expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(60);
        expect(ack.reason, `${ack.path} ${ack.id}`).toContain(ack.construct.node.id);
      }
    });
  });
}
