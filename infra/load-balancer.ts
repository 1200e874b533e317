// The internet-facing ALB: a public-subnet-only VPC (no NAT: the Lambdas run outside it), HTTPS with a
// TLS 1.3 policy, HTTP redirected, access logs, and the listener rules generated from the route table
// with the ALB doing the sign-in (authenticate-cognito / authenticate-oidc) before any Lambda runs.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { FlowLogDestination, FlowLogTrafficType, Peer, Port, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationListener,
  ApplicationListenerRule,
  ApplicationLoadBalancer,
  ApplicationProtocol,
  ApplicationTargetGroup,
  ListenerAction,
  ListenerCertificate,
  ListenerCondition,
  SslPolicy,
  TargetType,
  UnauthenticatedAction,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AuthenticateCognitoAction } from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import { LambdaTarget } from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { LoadBalancerTarget } from 'aws-cdk-lib/aws-route53-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { PortalUserPool } from './cognito-pool.js';
import type { PortalConfig } from './config.js';
import type { AlbAuthenticator } from './identity.js';
import { planListenerRules } from './listener-rules.js';
import { ALB_SCOPES, DEFAULT_ACTION, ROUTES, type RouteRule, type RouteTarget, SESSION_COOKIES } from '../contract/routes.js';
import { LOG_PREFIXES } from './storage.js';

export type LoadBalancerConfig = Pick<
  PortalConfig,
  'domainName' | 'certificateArn' | 'hostedZone' | 'customerSessionTimeoutSeconds' | 'adminSessionTimeoutSeconds'
>;

export interface LoadBalancerProps {
  readonly config: LoadBalancerConfig;
  readonly logBucket: IBucket;
}

export interface RouteWiring {
  readonly targets: Readonly<Record<RouteTarget, IFunction>>;
  readonly customer: PortalUserPool;
  readonly admin: AlbAuthenticator;
}

/** TLS 1.3 and 1.2 with forward-secret AEAD ciphers only ("Res"); TLS 1.3-only would lock out older clients. */
export const TLS_POLICY = SslPolicy.TLS13_RES;

const UNAUTHENTICATED: Record<RouteRule['onUnauthenticated'], UnauthenticatedAction> = {
  authenticate: UnauthenticatedAction.AUTHENTICATE,
  deny: UnauthenticatedAction.DENY,
};

/**
 * LambdaTarget lets the ELB service invoke the function without a SourceArn (the target group's ARN
 * would be a circular dependency), so any account's load balancer could. Pin it to this account.
 */
function restrictInvokeToThisAccount(fn: IFunction): void {
  for (const child of fn.node.children) {
    if (child instanceof CfnPermission && child.principal === 'elasticloadbalancing.amazonaws.com') child.sourceAccount = Stack.of(fn).account;
  }
}

export class LoadBalancer extends Construct {
  readonly vpc: Vpc;
  readonly securityGroup: SecurityGroup;
  readonly alb: ApplicationLoadBalancer;
  readonly httpsListener: ApplicationListener;
  readonly certificate: ICertificate;
  private readonly config: LoadBalancerConfig;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;

    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
      // Only the ALB lives here, with its own security group; restricting the unused default group
      // would add a custom-resource Lambda to the stack for no gain.
      restrictDefaultSecurityGroup: false,
      flowLogs: {
        toLogBucket: { destination: FlowLogDestination.toS3(props.logBucket, LOG_PREFIXES.vpc), trafficType: FlowLogTrafficType.ALL },
      },
    });

    this.securityGroup = new SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: 'Upload portal ALB: HTTP(S) in from anywhere; HTTPS out only, to the IdPs',
    });
    this.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS from browsers');
    this.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), 'HTTP from browsers, redirected to HTTPS');
    // The ALB calls the IdPs' token and userinfo endpoints during sign-in; Lambda targets need no egress rule.
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to the identity providers');
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'LoadBalancer/AlbSecurityGroup: the portal is a public website for customers anywhere; only 80 (redirect) and 443 are open.',
    });

    this.alb = new ApplicationLoadBalancer(this, 'Alb', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      internetFacing: true,
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      http2Enabled: true,
    });
    this.alb.logAccessLogs(props.logBucket, LOG_PREFIXES.alb);

    const zone = config.hostedZone
      ? HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZone.id, zoneName: config.hostedZone.name })
      : null;
    if (config.certificateArn) {
      this.certificate = Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn);
    } else if (zone) {
      this.certificate = new Certificate(this, 'Certificate', { domainName: config.domainName, validation: CertificateValidation.fromDns(zone) });
    } else {
      throw new Error('LoadBalancer needs config.certificateArn or config.hostedZone (loadConfig enforces one of the two)');
    }
    if (zone) {
      new ARecord(this, 'AliasRecord', { zone, recordName: config.domainName, target: RecordTarget.fromAlias(new LoadBalancerTarget(this.alb)) });
    }

    // Authentication actions work only on HTTPS listeners, so port 80 does nothing but redirect.
    this.alb.addListener('Http', {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    this.httpsListener = this.alb.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      open: false,
      certificates: [ListenerCertificate.fromCertificateManager(this.certificate)],
      sslPolicy: TLS_POLICY,
      // Says nothing about what exists (routes.ts DEFAULT_ACTION).
      defaultAction: ListenerAction.fixedResponse(DEFAULT_ACTION.status, { contentType: DEFAULT_ACTION.contentType, messageBody: DEFAULT_ACTION.body }),
    });
  }

  /** One Lambda target group per function, and one listener rule per route, in route-table order. */
  addRoutes(wiring: RouteWiring): void {
    const forwardTo = {} as Record<RouteTarget, ListenerAction>;
    for (const [target, fn] of Object.entries(wiring.targets) as [RouteTarget, IFunction][]) {
      const id = target.charAt(0).toUpperCase() + target.slice(1);
      const group = new ApplicationTargetGroup(this, `${id}Targets`, {
        targetType: TargetType.LAMBDA,
        targets: [new LambdaTarget(fn)],
        // The handlers answer with several Set-Cookie headers (sign-out expires every cookie shard).
        multiValueHeadersEnabled: true,
      });
      forwardTo[target] = ListenerAction.forward([group]);
      restrictInvokeToThisAccount(fn);
    }
    for (const { route, priority } of planListenerRules(ROUTES)) {
      const conditions = [ListenerCondition.pathPatterns(route.paths)];
      if (route.header) conditions.push(ListenerCondition.httpHeader(route.header.name, route.header.values));
      new ApplicationListenerRule(this, `Route-${route.id}`, {
        listener: this.httpsListener,
        priority,
        conditions,
        action: route.fixed
          ? ListenerAction.fixedResponse(route.fixed.status, { contentType: route.fixed.contentType, messageBody: route.fixed.body })
          : this.actionFor(route, forwardTo[route.target], wiring),
      });
    }
  }

  private actionFor(route: RouteRule, next: ListenerAction, wiring: RouteWiring): ListenerAction {
    if (route.auth === 'none') return next;
    const audience = route.auth;
    const session = {
      sessionCookieName: SESSION_COOKIES[audience],
      sessionTimeout: Duration.seconds(audience === 'admin' ? this.config.adminSessionTimeoutSeconds : this.config.customerSessionTimeoutSeconds),
      onUnauthenticatedRequest: UNAUTHENTICATED[route.onUnauthenticated],
      scope: ALB_SCOPES,
      // The security group already allows HTTPS out; no second, duplicate rule.
      allowHttpsOutbound: false,
      next,
    };
    const authenticator: AlbAuthenticator = audience === 'admin' ? wiring.admin : { kind: 'cognito', pool: wiring.customer };
    if (authenticator.kind === 'cognito') {
      const { pool } = authenticator;
      return new AuthenticateCognitoAction({ ...session, userPool: pool.userPool, userPoolClient: pool.albClient, userPoolDomain: pool.domain });
    }
    const { idp, clientSecret } = authenticator;
    return ListenerAction.authenticateOidc({
      ...session,
      issuer: idp.issuer,
      authorizationEndpoint: idp.authorizationEndpoint,
      tokenEndpoint: idp.tokenEndpoint,
      userInfoEndpoint: idp.userInfoEndpoint,
      clientId: idp.clientId,
      clientSecret,
    });
  }
}
