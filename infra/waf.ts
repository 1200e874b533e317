// An AWS WAF web ACL in front of the load balancer: a rate limit per client address, and AWS's managed
// rule groups for known-bad inputs, bad IP reputation and the common attacks, scoped so they never
// break an upload.
//
// The Core rule set's body rules misfire on the portal's own APIs: SizeRestrictions_BODY blocks every
// body over 8 KB (the ALB lets WAF inspect no more), and a completion of a large upload (thousands of
// parts) or a batch of 100 signed parts is larger; the XSS/LFI/RFI/SSRF body rules read a file named
// `<b>notes</b>.txt` or `../x` in a create body as an attack. Its query rules misfire the same way on
// the query, where the APIs carry a file's key or name (`?key=` on batch, complete, list and abort,
// `/api/s3/params?filename=&metadata[relativePath]=`, `/admin/api/files?key=`):
// RestrictedExtensions_QUERYARGUMENTS blocks `server.log` or `setup.ini`, SizeRestrictions_QUERYSTRING
// any query over 2,048 bytes (a key may have 1,024 bytes, three times that once URL-encoded), and the
// XSS/LFI/RFI/SSRF query rules the same names as in a body. Those rules therefore only count on the
// APIs and block everywhere else, by label. The APIs accept nothing but JSON and query values that
// strict parsers validate (lambdas/shared/http.ts), behind an authenticated session, and never reflect
// them into HTML. The URI-path and header rules keep blocking everywhere: no name or key is ever in a
// path.
//
// One cookie rule only counts, everywhere: SizeRestrictions_Cookie_HEADER blocks any Cookie header over
// 10,240 bytes, while the ALB's own session cookie alone may be split into 4 shards of up to 4 KB each
// once the IdP's claims are large (contract/routes.ts SESSION_COOKIE_SHARDS), and an admin who also signs
// in as a customer on the same origin sends both sessions on every request. Left blocking, a large
// token would lock its user out with a 403 on every page and call, after a successful sign-in.
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { IApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { errorBody } from '../contract/errors.js';
import { ADMIN_API_BASE } from '../contract/api/admin.js';
import { UPLOADS_API_BASE } from '../contract/api/uploads.js';

/**
 * Core rule set rules that inspect what the APIs carry a name or key in: the body and the query. Each adds
 * a label `awswaf:managed:aws:core-rule-set:<label>` when it matches; AWS spells the label in mixed case
 * (the rule list of "Core rule set (CRS) managed rule group" in the AWS WAF developer guide names both).
 */
export const CORE_API_RULES = {
  SizeRestrictions_BODY: 'SizeRestrictions_Body',
  CrossSiteScripting_BODY: 'CrossSiteScripting_Body',
  GenericLFI_BODY: 'GenericLFI_Body',
  GenericRFI_BODY: 'GenericRFI_Body',
  EC2MetaDataSSRF_BODY: 'EC2MetaDataSSRF_Body',
  SizeRestrictions_QUERYSTRING: 'SizeRestrictions_QueryString',
  RestrictedExtensions_QUERYARGUMENTS: 'RestrictedExtensions_QueryArguments',
  CrossSiteScripting_QUERYARGUMENTS: 'CrossSiteScripting_QueryArguments',
  GenericLFI_QUERYARGUMENTS: 'GenericLFI_QueryArguments',
  GenericRFI_QUERYARGUMENTS: 'GenericRFI_QueryArguments',
  EC2MetaDataSSRF_QUERYARGUMENTS: 'EC2MetaDataSSRF_QueryArguments',
} as const;
export type CoreApiRule = keyof typeof CORE_API_RULES;
/** The labels those rules add. */
export const coreLabel = (rule: CoreApiRule): string => `awswaf:managed:aws:core-rule-set:${CORE_API_RULES[rule]}`;
export const CORE_API_RULE_NAMES = Object.keys(CORE_API_RULES) as CoreApiRule[];
export const CORE_API_LABELS = CORE_API_RULE_NAMES.map(coreLabel);
/**
 * Core rule set rules that only count on every path: the ALB's sharded session cookies
 * (SESSION_COOKIE_SHARDS x 4 KB, two audiences on one origin) exceed SizeRestrictions_Cookie_HEADER's
 * 10,240 bytes, and the cookies are the ALB's, checked by the ALB before any target sees a request.
 */
export const CORE_COUNTED_EVERYWHERE = ['SizeRestrictions_Cookie_HEADER'] as const;
/** Path prefixes where those rules only count. */
export const API_PATH_PREFIXES = [`${UPLOADS_API_BASE}/`, `${ADMIN_API_BASE}/`];

export interface WebFirewallProps {
  readonly loadBalancer: IApplicationLoadBalancer;
  /** Requests one client address may send in 5 minutes before it gets 429s. */
  readonly rateLimitPer5Minutes: number;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

const managed = (priority: number, name: string, ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[]): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
  visibilityConfig: visibility(name),
});

const startsWith = (prefix: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: { searchString: prefix, fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', textTransformations: [{ priority: 0, type: 'NONE' }] },
});

/** The web ACL's rules, in evaluation order. Pure, so the stack test and a unit test read the same list. */
export function webFirewallRules(rateLimitPer5Minutes: number): CfnWebACL.RuleProperty[] {
  return [
    {
      name: 'RateLimitPerClient',
      priority: 0,
      action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rate-limited' } } },
      statement: { rateBasedStatement: { limit: rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
      visibilityConfig: visibility('RateLimitPerClient'),
    },
    managed(1, 'AWSManagedRulesAmazonIpReputationList'),
    managed(2, 'AWSManagedRulesKnownBadInputsRuleSet'),
    managed(3, 'AWSManagedRulesCommonRuleSet', [...CORE_API_RULE_NAMES, ...CORE_COUNTED_EVERYWHERE].map((name) => ({ name, actionToUse: { count: {} } }))),
    {
      name: 'CoreRulesOutsideApis',
      priority: 4,
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            { orStatement: { statements: CORE_API_LABELS.map((key) => ({ labelMatchStatement: { scope: 'LABEL', key } })) } },
            { notStatement: { statement: { orStatement: { statements: API_PATH_PREFIXES.map(startsWith) } } } },
          ],
        },
      },
      visibilityConfig: visibility('CoreRulesOutsideApis'),
    },
  ];
}

export class WebFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Upload portal: rate limit per client, AWS managed rules scoped so uploads work',
      visibilityConfig: visibility('UploadPortalWebAcl'),
      customResponseBodies: {
        'rate-limited': { contentType: 'APPLICATION_JSON', content: JSON.stringify(errorBody('rate_limited')) },
      },
      rules: webFirewallRules(props.rateLimitPer5Minutes),
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.loadBalancer.loadBalancerArn, webAclArn: this.webAcl.attrArn });
  }
}
