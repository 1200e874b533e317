// The web ACL on the load balancer: present by default, associated with the ALB, rate-limited per
// client, managed rule groups with the Core rule set's body and query rules counting on the APIs only.
import { describe, expect, it } from 'vitest';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

/** The parts of a synthesized WAF rule these checks read. */
interface AclRule {
  Name: string;
  Action?: { Block?: { CustomResponse?: { ResponseCode: number } } };
  Statement: {
    RateBasedStatement?: unknown;
    ManagedRuleGroupStatement?: { Name: string; RuleActionOverrides?: { Name: string; ActionToUse: unknown }[] };
  };
}

export function wafChecks(get: () => Synth): void {
  describe('web ACL', () => {
    const acl = () => Object.values(resourcesOfType(get(), 'AWS::WAFv2::WebACL'))[0]!.Properties!;

    it('is one regional web ACL associated with the load balancer', () => {
      get().template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      expect(acl()).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
      const association = Object.values(resourcesOfType(get(), 'AWS::WAFv2::WebACLAssociation'))[0]!.Properties!;
      expect(association.ResourceArn).toEqual({ Ref: logicalIdOf(get().stack, get().stack.loadBalancer.alb) });
    });

    it('limits each client address to the configured rate, answering the APIs\' JSON 429', () => {
      const rules = acl().Rules as AclRule[];
      const rate = rules.find((r) => r.Name === 'RateLimitPerClient')!;
      expect(rate.Statement.RateBasedStatement).toEqual({ Limit: get().config.wafRateLimitPer5Minutes, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
      expect(rate.Action?.Block?.CustomResponse?.ResponseCode).toBe(429);
      const body = (acl().CustomResponseBodies as Record<string, { Content: string }>)['rate-limited']!;
      expect(JSON.parse(body.Content)).toMatchObject({ error: { code: 'rate_limited' } });
    });

    it('runs the IP reputation, known-bad-inputs and Core rule sets, the Core body and query rules only counting', () => {
      const rules = acl().Rules as AclRule[];
      const groups = rules.flatMap((r) => (r.Statement.ManagedRuleGroupStatement ? [r.Statement.ManagedRuleGroupStatement.Name] : []));
      expect(groups).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']);
      const core = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!;
      const counted = (core.Statement.ManagedRuleGroupStatement?.RuleActionOverrides ?? []).map((o) => [o.Name, o.ActionToUse]);
      expect(counted).toContainEqual(['SizeRestrictions_BODY', { Count: {} }]);
      expect(counted).toContainEqual(['SizeRestrictions_QUERYSTRING', { Count: {} }]);
      expect(counted).toContainEqual(['RestrictedExtensions_QUERYARGUMENTS', { Count: {} }]);
      // The ALB's sharded session cookies are over the cookie size rule's 10,240 bytes with a large IdP token.
      expect(counted).toContainEqual(['SizeRestrictions_Cookie_HEADER', { Count: {} }]);
    });
  });
}
