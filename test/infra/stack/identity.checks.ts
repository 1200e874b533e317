// Identity: the customers' pool and ALB client, and the admins' external OIDC IdP (example config).
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENDPOINT_NAME_LENGTH, isEndpointName } from '../../../contract/bucket-layout.js';
import { albCallbackUrl } from '../../../infra/cognito-pool.js';
import { type Synth, logicalIdOf, resourcesOfType } from '../synth.js';

export function customerPoolChecks(get: () => Synth): void {
  const poolId = () => logicalIdOf(get().stack, get().stack.identity.customer.userPool);
  const pool = () => resourcesOfType(get(), 'AWS::Cognito::UserPool')[poolId()]!;
  const client = () => {
    const clients = Object.values(resourcesOfType(get(), 'AWS::Cognito::UserPoolClient')).filter((c) => JSON.stringify(c.Properties?.UserPoolId) === JSON.stringify({ Ref: poolId() }));
    expect(clients).toHaveLength(1);
    return clients[0]!.Properties!;
  };

  describe('customers\' user pool', () => {
    it('lets only admins create users, who sign in by e-mail', () => {
      expect(pool().Properties).toMatchObject({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, UsernameAttributes: ['email'] });
    });

    it('requires 12+ characters with upper, lower, digit and symbol; temporary passwords valid 7 days', () => {
      expect((pool().Properties?.Policies as Record<string, unknown>).PasswordPolicy).toEqual({
        MinimumLength: 12,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: get().config.temporaryPasswordValidityDays,
      });
    });

    it('applies the configured MFA mode, with TOTP as the second factor', () => {
      const expected = { off: { MfaConfiguration: 'OFF' }, optional: { MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] }, required: { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] } };
      expect(pool().Properties).toMatchObject(expected[get().config.mfa]);
      if (get().config.mfa === 'off') expect(pool().Properties?.EnabledMfas).toBeUndefined();
    });

    it('has the custom attribute endpoint, as long as endpoint names can be', () => {
      expect(pool().Properties?.Schema).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Name: 'endpoint', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: String(ENDPOINT_NAME_LENGTH.min), MaxLength: String(ENDPOINT_NAME_LENGTH.max) } }),
        ]),
      );
      expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.max))).toBe(true);
      expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.max + 1))).toBe(false);
      expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.min))).toBe(true);
      expect(isEndpointName('a'.repeat(ENDPOINT_NAME_LENGTH.min - 1))).toBe(false);
    });

    it('is retained when the stack is deleted', () => {
      expect(pool().DeletionPolicy).toBe('Retain');
      expect(pool().Properties?.DeletionProtection).toBe('ACTIVE');
    });

    it('has a hosted-UI domain with the configured prefix', () => {
      get().template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: get().config.cognitoDomainPrefix, UserPoolId: { Ref: poolId() } });
    });

    it('has an ALB app client: secret, code grant only, openid/email/profile, the ALB callback in lower case', () => {
      expect(client()).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: [`https://${get().config.domainName}/oauth2/idpresponse`],
        SupportedIdentityProviders: ['COGNITO'],
      });
      expect([...(client().AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
      expect(albCallbackUrl('Portal.Example.COM')).toBe('https://portal.example.com/oauth2/idpresponse');
    });

    it('lets the client read custom:endpoint but not write it (an explicit, non-empty write list)', () => {
      expect(client().ReadAttributes).toContain('custom:endpoint');
      const write = client().WriteAttributes as string[];
      expect(write.length).toBeGreaterThan(0);
      expect(write.filter((name) => name.startsWith('custom:'))).toEqual([]);
    });

    it('hides whether a user exists', () => {
      expect(client().PreventUserExistenceErrors).toBe('ENABLED');
    });
  });
}

export function oidcAdminChecks(get: () => Synth): void {
  describe('admins\' identity: external OIDC IdP', () => {
    it('creates no admin pool and no admin user', () => {
      get().template.resourceCountIs('AWS::Cognito::UserPool', 1);
      get().template.resourceCountIs('AWS::Cognito::UserPoolUser', 0);
    });

    it('takes the client secret from Secrets Manager by name, never from cdk.json', () => {
      const config = get().config;
      if (config.admin.kind !== 'oidc') throw new Error('example config should use an external IdP');
      get().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Actions: Match.arrayWith([
          Match.objectLike({
            Type: 'authenticate-oidc',
            AuthenticateOidcConfig: Match.objectLike({ ClientSecret: `{{resolve:secretsmanager:${config.admin.idp.clientSecretName}:SecretString:::}}` }),
          }),
        ]),
      });
      get().template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    });
  });
}
