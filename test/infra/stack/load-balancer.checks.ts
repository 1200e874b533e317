// Load balancer: VPC, security group, ALB, listeners, and the listener rules generated from ROUTES.
import { describe, expect, it } from 'vitest';
import { ROUTES, SESSION_COOKIES, type RouteTarget } from '../../../contract/routes.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

type Props = Record<string, unknown>;

/** The target ('web' | 'uploads' | 'admin') each target group forwards to, by target group logical id. */
function targetOfGroups(synth: Synth): Record<string, RouteTarget> {
  const byFunction = new Map(Object.entries(synth.stack.functions.byName).map(([name, fn]) => [logicalIdOf(synth.stack, fn), name as RouteTarget]));
  const result: Record<string, RouteTarget> = {};
  for (const [id, group] of Object.entries(resourcesOfType(synth, 'AWS::ElasticLoadBalancingV2::TargetGroup'))) {
    const targets = group.Properties?.Targets as { Id: { 'Fn::GetAtt': [string, string] } }[];
    result[id] = byFunction.get(targets[0]!.Id['Fn::GetAtt'][0])!;
  }
  return result;
}

/** What the first action of a rule must be for `auth` (the ALB signs the user in before forwarding). */
function expectedAuthAction(synth: Synth, auth: 'admin' | 'customer', onUnauthenticated: string): Props {
  const { config, stack } = synth;
  const session = {
    OnUnauthenticatedRequest: onUnauthenticated,
    Scope: 'openid email profile',
    SessionCookieName: SESSION_COOKIES[auth],
    SessionTimeout: auth === 'admin' ? config.adminSessionTimeoutSeconds : config.customerSessionTimeoutSeconds,
  };
  const cognito = (pool: NonNullable<typeof stack.identity.customer>) => ({
    Type: 'authenticate-cognito',
    AuthenticateCognitoConfig: {
      ...session,
      UserPoolArn: { 'Fn::GetAtt': [logicalIdOf(stack, pool.userPool), 'Arn'] },
      UserPoolClientId: { Ref: logicalIdOf(stack, pool.albClient) },
      UserPoolDomain: { Ref: logicalIdOf(stack, pool.domain) },
    },
  });
  if (auth === 'customer') return cognito(stack.identity.customer);
  const admin = stack.identity.admin;
  if (admin.kind === 'cognito') return cognito(admin.pool);
  return {
    Type: 'authenticate-oidc',
    AuthenticateOidcConfig: {
      ...session,
      Issuer: admin.idp.issuer,
      AuthorizationEndpoint: admin.idp.authorizationEndpoint,
      TokenEndpoint: admin.idp.tokenEndpoint,
      UserInfoEndpoint: admin.idp.userInfoEndpoint,
      ClientId: admin.idp.clientId,
      ClientSecret: `{{resolve:secretsmanager:${admin.idp.clientSecretName}:SecretString:::}}`,
    },
  };
}

export function listenerRuleChecks(get: () => Synth): void {
  describe('listener rules generated from contract/routes.ts', () => {
    const rules = () =>
      Object.values(resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::ListenerRule'))
        .map((rule) => rule.Properties!)
        .sort((a, b) => (a.Priority as number) - (b.Priority as number));

    it('answers /healthz with a fixed response, so anonymous health checks invoke no Lambda', () => {
      const health = rules().find((rule) => JSON.stringify(rule.Conditions).includes('/healthz'))!;
      expect(health.Actions).toEqual([expect.objectContaining({ Type: 'fixed-response', FixedResponseConfig: expect.objectContaining({ StatusCode: '200' }) })]);
    });

    it('has one rule per route, on the HTTPS listener, in table order', () => {
      const https = logicalIdOf(get().stack, get().stack.loadBalancer.httpsListener);
      expect(rules()).toHaveLength(ROUTES.length);
      for (const rule of rules()) expect(rule.ListenerArn).toEqual({ Ref: https });
      const priorities = rules().map((rule) => rule.Priority as number);
      expect(new Set(priorities).size).toBe(priorities.length);
    });

    it.each(ROUTES.map((route, index) => [route.id, index] as const))('%s: conditions, sign-in and target match the route', (_id, index) => {
      const route = ROUTES[index]!;
      const rule = rules()[index]!;
      expect(rule.Conditions).toEqual([
        { Field: 'path-pattern', PathPatternConfig: { Values: route.paths } },
        ...(route.header ? [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: route.header.name, Values: route.header.values } }] : []),
      ]);
      const actions = [...(rule.Actions as Props[])].sort((a, b) => (a.Order as number) - (b.Order as number));
      if (route.fixed) {
        // The ALB answers itself: no sign-in, no Lambda.
        expect(actions).toEqual([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: String(route.fixed.status), ContentType: route.fixed.contentType, MessageBody: route.fixed.body } }]);
        return;
      }
      const forward = actions.at(-1)!;
      expect(forward.Type).toBe('forward');
      expect(targetOfGroups(get())[(forward.TargetGroupArn as { Ref: string }).Ref]).toBe(route.target);
      if (route.auth === 'none') {
        expect(actions).toHaveLength(1);
      } else {
        expect(actions).toHaveLength(2);
        const { Order: _order, ...auth } = actions[0]!;
        expect(auth).toEqual(expectedAuthAction(get(), route.auth, route.onUnauthenticated));
      }
    });

    it('counts at most 5 condition values per rule, each at most 128 characters', () => {
      for (const rule of rules()) {
        const values = (rule.Conditions as Props[]).flatMap((c) => ((c.PathPatternConfig ?? c.HttpHeaderConfig) as { Values: string[] }).Values);
        expect(values.length).toBeLessThanOrEqual(5);
        for (const value of values) expect(value.length).toBeLessThanOrEqual(128);
      }
    });

    it('sends /api/* with the admin session cookie to admin sign-in (deny) before the customer rule', () => {
      const index = ROUTES.findIndex((route) => route.header?.name === 'Cookie');
      const customerApi = ROUTES.findIndex((route) => route.auth === 'customer' && route.paths.includes('/api/*'));
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(customerApi);
      expect(ROUTES[index]).toMatchObject({ auth: 'admin', onUnauthenticated: 'deny', target: 'uploads', paths: ['/api/*'] });
      expect(ROUTES[index]!.header!.values.join()).toContain(SESSION_COOKIES.admin);
      expect(ROUTES[customerApi]).toMatchObject({ onUnauthenticated: 'deny', target: 'uploads' });
    });
  });
}

export function loadBalancerChecks(get: () => Synth): void {
  describe('load balancer', () => {
    it('has a VPC with two public subnets only and no NAT gateway', () => {
      const { template } = get();
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::Subnet', 2);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::EIP', 0);
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      for (const subnet of Object.values(resourcesOfType(get(), 'AWS::EC2::Subnet'))) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(true);
      const zones = Object.values(resourcesOfType(get(), 'AWS::EC2::Subnet')).map((subnet) => subnet.Properties?.AvailabilityZone);
      expect(new Set(zones).size).toBe(2);
    });

    it('runs the Lambdas outside the VPC', () => {
      for (const fn of Object.values(resourcesOfType(get(), 'AWS::Lambda::Function'))) expect(fn.Properties?.VpcConfig).toBeUndefined();
    });

    it('logs VPC flows to the log bucket', () => {
      get().template.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 's3', TrafficType: 'ALL' });
    });

    it('has a security group open on 80/443 from anywhere and HTTPS-only egress', () => {
      const groups = resourcesOfType(get(), 'AWS::EC2::SecurityGroup');
      expect(Object.keys(groups)).toHaveLength(1);
      const group = Object.values(groups)[0]!.Properties!;
      const rule = (r: Props) => [r.IpProtocol, r.FromPort, r.ToPort, r.CidrIp];
      expect((group.SecurityGroupIngress as Props[]).map(rule).sort()).toEqual([['tcp', 443, 443, '0.0.0.0/0'], ['tcp', 80, 80, '0.0.0.0/0']].sort());
      expect((group.SecurityGroupEgress as Props[]).map(rule)).toEqual([['tcp', 443, 443, '0.0.0.0/0']]);
      get().template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      get().template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    });

    it('is internet-facing, drops invalid header fields, and writes access logs to the log bucket', () => {
      const { stack } = get();
      const attributes = Object.fromEntries(
        (Object.values(resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]!.Properties!.LoadBalancerAttributes as { Key: string; Value: unknown }[]).map((a) => [a.Key, a.Value]),
      );
      get().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
      expect(attributes).toMatchObject({
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.bucket': { Ref: logicalIdOf(stack, stack.storage.logBucket) },
      });
    });

    it('redirects port 80 to HTTPS', () => {
      get().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
    });

    it('serves HTTPS with a TLS 1.3 policy and answers unmatched requests with the APIs\' JSON 404, naming nothing', () => {
      const listener = resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::Listener')[logicalIdOf(get().stack, get().stack.loadBalancer.httpsListener)]!.Properties!;
      expect(listener).toMatchObject({ Port: 443, Protocol: 'HTTPS' });
      expect(listener.SslPolicy).toMatch(/^ELBSecurityPolicy-TLS13-/);
      expect(listener.DefaultActions).toEqual([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"error":{"code":"not_found","message":"Not found"}}' } }]);
    });

    it('forwards to Lambda target groups with multi-value headers enabled', () => {
      const groups = Object.values(resourcesOfType(get(), 'AWS::ElasticLoadBalancingV2::TargetGroup'));
      expect(groups).toHaveLength(3);
      for (const group of groups) {
        expect(group.Properties).toMatchObject({ TargetType: 'lambda', TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] });
      }
      expect(new Set(Object.values(targetOfGroups(get())))).toEqual(new Set(['web', 'uploads', 'admin']));
    });

    it('lets only load balancers of this account invoke the ALB targets (the events Lambda only the S3 event rule)', () => {
      const all = Object.values(resourcesOfType(get(), 'AWS::Lambda::Permission'));
      const events = logicalIdOf(get().stack, get().stack.functions.byName.events);
      const permissions = all.filter((p) => !JSON.stringify(p.Properties?.FunctionName).includes(events));
      expect(permissions).toHaveLength(3);
      // The S3 event rule, and GuardDuty's scan-result rule when scanning is on.
      expect(all.length - permissions.length).toBe(get().config.malwareScan === 'off' ? 1 : 2);
      for (const permission of permissions) {
        expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com', SourceAccount: get().config.account });
      }
    });
  });
}

export function certificateArnChecks(get: () => Synth): void {
  describe('certificate from config ARN', () => {
    it('uses the configured certificate and creates no certificate or DNS record', () => {
      get().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Certificates: [{ CertificateArn: get().config.certificateArn }] });
      get().template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      get().template.resourceCountIs('AWS::Route53::RecordSet', 0);
    });
  });
}
