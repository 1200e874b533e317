// Where things live in the bucket. Customers' files only under `uploads/`; the portal's own
// records under `_portal/`, which no customer-facing call can reach.
export const UPLOADS_PREFIX = 'uploads/';
export const ENDPOINTS_PREFIX = '_portal/endpoints/';
export const AUDIT_PREFIX = '_portal/audit/';

export const endpointPrefix = (endpoint: string): string => `${UPLOADS_PREFIX}${endpoint}/`;
export const endpointRecordKey = (endpoint: string): string => `${ENDPOINTS_PREFIX}${endpoint}.json`;

/** Endpoint names: lower-case letters, digits and hyphens, 3 to 48 characters, starting and ending alphanumeric. */
export const ENDPOINT_NAME = /^[a-z0-9](?:[a-z0-9-]{1,46})[a-z0-9]$/;
export const isEndpointName = (value: unknown): value is string => typeof value === 'string' && ENDPOINT_NAME.test(value);
