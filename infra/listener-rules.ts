// The route table (contract/routes.ts) as ALB listener-rule specs: same order, ascending priorities,
// and the ALB's per-rule limits checked at synth time, so a route the ALB would refuse fails
// `cdk synth` instead of a deployment halfway through.
import { ROUTES, type RouteRule } from '../contract/routes.js';

/** ALB quotas that a rule can break (Elastic Load Balancing "Quotas for your Application Load Balancers"). */
export const ALB_RULE_LIMITS = {
  /** Condition values per rule, summed over all conditions. */
  conditionValues: 5,
  /** `*` and `?` wildcards per rule. */
  wildcards: 5,
  /** Characters in one path-pattern or http-header value. */
  valueLength: 128,
  /** Characters in an http-header condition's header name. */
  headerNameLength: 40,
  /** Rules per listener, besides the default. */
  rules: 100,
  /** Characters in a fixed-response body. */
  fixedResponseBody: 1024,
  /** Highest listener-rule priority. */
  maxPriority: 50_000,
} as const;

/** Priorities step by 10 so a rule can be slotted in by hand during an incident without renumbering. */
export const PRIORITY_STEP = 10;

export interface ListenerRuleSpec {
  readonly route: RouteRule;
  /** Lower is evaluated first. */
  readonly priority: number;
}

export class RouteLimitError extends Error {
  override readonly name = 'RouteLimitError';
  readonly code = 'alb_rule_limit';
  constructor(readonly problems: readonly string[]) {
    super(`Route table breaks ALB limits:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const countWildcards = (value: string): number => (value.match(/[*?]/g) ?? []).length;

/** Every way one route breaks an ALB limit; empty when the ALB accepts it. */
export function routeLimitProblems(route: RouteRule): string[] {
  const problems: string[] = [];
  const headerValues = route.header?.values ?? [];
  const values = [...route.paths, ...headerValues];
  if (route.paths.length === 0) problems.push(`${route.id}: needs at least one path pattern`);
  if (route.header && headerValues.length === 0) problems.push(`${route.id}: header condition ${route.header.name} needs at least one value`);
  if (values.length > ALB_RULE_LIMITS.conditionValues) {
    problems.push(`${route.id}: ${values.length} condition values, the ALB allows ${ALB_RULE_LIMITS.conditionValues} per rule`);
  }
  const wildcards = values.reduce((sum, value) => sum + countWildcards(value), 0);
  if (wildcards > ALB_RULE_LIMITS.wildcards) {
    problems.push(`${route.id}: ${wildcards} wildcards, the ALB allows ${ALB_RULE_LIMITS.wildcards} per rule`);
  }
  for (const value of values) {
    if (value.length > ALB_RULE_LIMITS.valueLength) {
      problems.push(`${route.id}: condition value "${value.slice(0, 40)}..." has ${value.length} characters, the ALB allows ${ALB_RULE_LIMITS.valueLength}`);
    }
  }
  for (const path of route.paths) {
    if (!path.startsWith('/') && !path.startsWith('*')) problems.push(`${route.id}: path pattern "${path}" must start with / or *`);
  }
  if (route.fixed && route.fixed.body.length > ALB_RULE_LIMITS.fixedResponseBody) {
    problems.push(`${route.id}: fixed response of ${route.fixed.body.length} characters, the ALB allows ${ALB_RULE_LIMITS.fixedResponseBody}`);
  }
  if (route.header && (route.header.name.length > ALB_RULE_LIMITS.headerNameLength || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(route.header.name))) {
    problems.push(`${route.id}: header name "${route.header.name}" must be an HTTP token of at most ${ALB_RULE_LIMITS.headerNameLength} characters`);
  }
  return problems;
}

/** The listener rules for `routes`, in table order (first match wins on both the ALB and the local gateway). */
export function planListenerRules(routes: readonly RouteRule[] = ROUTES): ListenerRuleSpec[] {
  const problems = routes.flatMap(routeLimitProblems);
  const ids = routes.map((route) => route.id);
  for (const id of new Set(ids)) {
    if (ids.filter((other) => other === id).length > 1) problems.push(`${id}: route ids must be unique (they name the listener rules)`);
    if (!/^[a-z0-9-]+$/.test(id)) problems.push(`${id}: route ids are lower-case letters, digits and hyphens`);
  }
  if (routes.length > ALB_RULE_LIMITS.rules) problems.push(`${routes.length} routes, the ALB allows ${ALB_RULE_LIMITS.rules} rules per listener`);
  if (routes.length * PRIORITY_STEP > ALB_RULE_LIMITS.maxPriority) problems.push(`priorities would pass ${ALB_RULE_LIMITS.maxPriority}`);
  if (problems.length) throw new RouteLimitError(problems);
  return routes.map((route, index) => ({ route, priority: (index + 1) * PRIORITY_STEP }));
}
