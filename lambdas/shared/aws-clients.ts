// AWS SDK clients built one way for every Lambda. S3_ENDPOINT / COGNITO_ENDPOINT point them at the
// local stand-ins (or MinIO); in AWS both are unset and the role's credentials are used.
import { S3Client } from '@aws-sdk/client-s3';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export function createS3Client(env: { readonly S3_ENDPOINT?: string | undefined }): S3Client {
  const endpoint = env.S3_ENDPOINT;
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Default checksums would put x-amz-checksum-* into presigned part URLs, which browsers cannot satisfy.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createCognitoClient(env: { readonly COGNITO_ENDPOINT?: string | undefined }): CognitoIdentityProviderClient {
  const endpoint = env.COGNITO_ENDPOINT;
  return new CognitoIdentityProviderClient(endpoint ? { endpoint } : {});
}
