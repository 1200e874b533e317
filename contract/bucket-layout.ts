// Where things live in the bucket, and the names of the metadata on customers' files. Customers'
// files only under `uploads/<endpoint>/`; the portal's own records under `_portal/`, which no
// customer-facing call can reach. The stack (lifecycle rules, IAM prefixes), the Lambdas and the local
// portal all take their prefixes from here.

export const UPLOADS_PREFIX = 'uploads/';
/** The portal's own records; no customer key can reach it (an endpoint name cannot start with `_`). */
export const PORTAL_PREFIX = '_portal/';
export const ENDPOINTS_PREFIX = `${PORTAL_PREFIX}endpoints/`;
export const AUDIT_PREFIX = `${PORTAL_PREFIX}audit/`;
/**
 * Webhook signing secrets, one object per secret, named by the endpoint and the secret's id (the endpoint
 * record names the id). Apart from the endpoint records, which the customer-facing uploads Lambda reads:
 * only the admin and notify Lambdas are granted this prefix.
 */
export const WEBHOOK_SECRETS_PREFIX = `${PORTAL_PREFIX}webhook-secrets/`;
export const webhookSecretKey = (endpoint: string, secretId: string): string => `${WEBHOOK_SECRETS_PREFIX}${endpoint}/${secretId}.json`;

/**
 * Upload reservations (one small JSON object per file key, written with If-None-Match before an upload
 * starts). They sit outside every endpoint's folder, as endpoint names cannot start with a dot, so no
 * listing of an endpoint sees them and no customer key can address them.
 */
export const PENDING_PREFIX = `${UPLOADS_PREFIX}.portal-pending/`;

/**
 * Endpoint names: lower-case letters, digits and hyphens, 3 to 48 characters, starting and ending
 * alphanumeric. The name is the endpoint's folder and the value of its logins' ENDPOINT_ATTRIBUTE,
 * whose length bounds in the customer pool (the stack's and the local one) are these.
 */
export const ENDPOINT_NAME_LENGTH = { min: 3, max: 48 } as const;
export const ENDPOINT_NAME = new RegExp(`^[a-z0-9][a-z0-9-]{${ENDPOINT_NAME_LENGTH.min - 2},${ENDPOINT_NAME_LENGTH.max - 2}}[a-z0-9]$`);
/** The rule in words, for messages: "Name must be <rule>", "Use <rule>." */
export const ENDPOINT_NAME_RULE = `${ENDPOINT_NAME_LENGTH.min} to ${ENDPOINT_NAME_LENGTH.max} characters: lower-case letters, digits and hyphens, starting and ending with a letter or digit`;
export const isEndpointName = (value: unknown): value is string => typeof value === 'string' && ENDPOINT_NAME.test(value);

/**
 * The customer pool's custom attribute that binds a login to its endpoint (its value is the endpoint
 * name, so the folder): `endpoint` in the pool's schema, `custom:endpoint` in tokens, userinfo and the
 * Cognito user API. Only the admin Lambda writes it; the ALB's app client may read it but not write it.
 */
export const ENDPOINT_ATTRIBUTE = 'endpoint';
export const ENDPOINT_CLAIM = `custom:${ENDPOINT_ATTRIBUTE}` as const;

/** The folder of one endpoint; the trailing slash keeps `john` from listing `johnny/`. */
export const endpointPrefix = (endpoint: string): string => `${UPLOADS_PREFIX}${endpoint}/`;
/** A customer's file: its path in the endpoint's folder (`report.pdf`, `photos/2024/img.jpg`) under that folder. */
export const customerFileKey = (endpoint: string, path: string): string => `${endpointPrefix(endpoint)}${path}`;
/**
 * The folder of a customer's file in its endpoint's folder (`uploads/acme/q3/a.pdf` -> `q3/`), '' at
 * the endpoint's root or for a key outside the uploads prefix: customerFileKey read back.
 */
export function folderInEndpoint(key: string): string {
  if (!key.startsWith(UPLOADS_PREFIX)) return '';
  const inUploads = key.slice(UPLOADS_PREFIX.length);
  const path = inUploads.slice(inUploads.indexOf('/') + 1);
  return inUploads.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
}
export const endpointRecordKey = (endpoint: string): string => `${ENDPOINTS_PREFIX}${endpoint}.json`;

/** Reservations of one endpoint (the admin Lambda purges them with the endpoint's files). */
export const pendingPrefix = (endpoint: string): string => `${PENDING_PREFIX}${endpoint}/`;

/**
 * A file key's reservation. The file key is named by its SHA-256 (hex), which the caller computes,
 * because a file key can be 1,024 bytes long already.
 */
export const reservationKey = (endpoint: string, fileKeySha256Hex: string): string => `${pendingPrefix(endpoint)}${fileKeySha256Hex}.json`;

/** The bucket's browser-facing origins (CSP connect-src): regional and global virtual-hosted style. */
export const s3BucketOrigins = (bucketName: string, region: string): string[] => [
  `https://${bucketName}.s3.${region}.amazonaws.com`,
  `https://${bucketName}.s3.amazonaws.com`,
];

/** User metadata on customers' files, names without the `x-amz-meta-` prefix (the SDK adds and strips it). */
export const METADATA = {
  /** The client's filename as typed (NFC, no directory, no control characters), URI-encoded. */
  originalName: 'original-name',
  /** E-mail of the uploader, or its subject when it has none, URI-encoded. */
  uploadedBy: 'uploaded-by',
  /** The size in bytes the client declared when the upload was created. */
  declaredSize: 'declared-size',
} as const;
