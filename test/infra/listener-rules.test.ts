// infra/listener-rules.ts: the route table as ALB rules, and the ALB limits enforced at synth (pure).
import { describe, expect, it } from 'vitest';
import { ALB_RULE_LIMITS, PRIORITY_STEP, RouteLimitError, planListenerRules, routeLimitProblems } from '../../infra/listener-rules.js';
import { ROUTES, type RouteRule } from '../../contract/routes.js';

const route = (overrides: Partial<RouteRule>): RouteRule => ({
  id: 'test',
  paths: ['/x'],
  auth: 'none',
  onUnauthenticated: 'deny',
  target: 'web',
  ...overrides,
});

const planError = (routes: RouteRule[]): RouteLimitError => {
  try {
    planListenerRules(routes);
  } catch (error) {
    if (error instanceof RouteLimitError) return error;
    throw error;
  }
  throw new Error('expected a RouteLimitError');
};

describe('planListenerRules', () => {
  it('keeps the route table order with ascending priorities', () => {
    const plan = planListenerRules(ROUTES);
    expect(plan.map((rule) => rule.route)).toEqual([...ROUTES]);
    expect(plan.map((rule) => rule.priority)).toEqual(ROUTES.map((_, i) => (i + 1) * PRIORITY_STEP));
  });

  it('finds the real route table within every ALB limit', () => {
    for (const rule of ROUTES) expect(routeLimitProblems(rule), rule.id).toEqual([]);
  });

  it('accepts exactly the limits', () => {
    expect(routeLimitProblems(route({ paths: ['/a', '/b', '/c', '/d'], header: { name: 'Cookie', values: ['*x*'] } }))).toEqual([]);
    expect(routeLimitProblems(route({ paths: [`/${'a'.repeat(ALB_RULE_LIMITS.valueLength - 1)}`] }))).toEqual([]);
  });
});

describe('ALB limits fail the synth', () => {
  const cases: [string, RouteRule, RegExp][] = [
    ['six condition values', route({ paths: ['/1', '/2', '/3', '/4', '/5', '/6'] }), /6 condition values, the ALB allows 5/],
    ['paths plus header values over five', route({ paths: ['/1', '/2', '/3', '/4'], header: { name: 'Cookie', values: ['a', 'b'] } }), /6 condition values/],
    ['a path pattern over 128 characters', route({ paths: [`/${'a'.repeat(128)}`] }), /129 characters, the ALB allows 128/],
    ['a header value over 128 characters', route({ header: { name: 'Cookie', values: ['c'.repeat(129)] } }), /129 characters/],
    ['more than five wildcards', route({ paths: ['/a/*/*/*', '/b/???'] }), /6 wildcards, the ALB allows 5/],
    ['a header name over 40 characters', route({ header: { name: 'X'.repeat(41), values: ['1'] } }), /header name/],
    ['a header name that is not an HTTP token', route({ header: { name: 'Bad Header', values: ['1'] } }), /header name/],
    ['no path pattern', route({ paths: [] }), /at least one path pattern/],
    ['a header condition without values', route({ header: { name: 'Cookie', values: [] } }), /needs at least one value/],
    ['a path not starting with /', route({ paths: ['admin'] }), /must start with \//],
  ];

  it.each(cases)('%s', (_name, bad, message) => {
    const error = planError([ROUTES[0]!, bad]);
    expect(error.code).toBe('alb_rule_limit');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('test:');
  });

  it('refuses duplicate route ids (they name the listener rules)', () => {
    expect(planError([route({}), route({})]).message).toMatch(/test: route ids must be unique/);
  });

  it('refuses more rules than a listener holds', () => {
    const many = Array.from({ length: ALB_RULE_LIMITS.rules + 1 }, (_, i) => route({ id: `r${i}` }));
    expect(planError(many).message).toMatch(/101 routes/);
  });
});
