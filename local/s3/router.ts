// Turns method + path + subresource query into one S3 operation (path-style; virtual-host style for configured buckets).
import { header, type Ctx, type Env } from './context.js';
import { S3Error } from './errors.js';
import { S3_MAX_KEY_BYTES } from '../../contract/limits.js';

export type Operation =
  | 'ListBuckets'
  | 'HeadBucket'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListMultipartUploads'
  | 'DeleteObjects'
  | 'PostObject'
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'ListParts'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'PutObjectTagging'
  | 'GetObjectTagging'
  | 'DeleteObjectTagging';

// Refused explicitly: silently treating e.g. ?tagging as a plain GetObject would make callers believe it worked.
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'session', 'torrent',
  'versioning', 'versionId', 'versions', 'website',
];


function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

/** Fills ctx.bucketName / ctx.key / ctx.resource from the request target. */
export function parseTarget(ctx: Ctx, env: Env): void {
  if (!ctx.rawPath.startsWith('/')) throw new S3Error('InvalidURI');
  const host = (header(ctx, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
  const vhostBucket = [...env.buckets.keys()].find((b) => host.startsWith(`${b}.`));
  let bucketName: string | undefined;
  let keyPart: string;
  if (vhostBucket !== undefined) {
    bucketName = vhostBucket;
    keyPart = ctx.rawPath.slice(1);
  } else {
    const rest = ctx.rawPath.slice(1);
    const slash = rest.indexOf('/');
    bucketName = decode(slash < 0 ? rest : rest.slice(0, slash)) || undefined;
    keyPart = slash < 0 ? '' : rest.slice(slash + 1);
  }
  const key = keyPart === '' ? undefined : decode(keyPart);
  if (key !== undefined && Buffer.byteLength(key) > S3_MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', undefined, { Size: Buffer.byteLength(key), MaxSizeAllowed: S3_MAX_KEY_BYTES });
  ctx.bucketName = bucketName;
  ctx.key = key;
  ctx.resource = bucketName === undefined ? '/' : key === undefined ? `/${bucketName}` : `/${bucketName}/${key}`;
}

/** Object tagging is implemented; bucket tagging is not. */
function taggingOperation(ctx: Ctx): Operation {
  if (ctx.key === undefined) throw new S3Error('NotImplemented', 'Bucket tagging is not implemented by this local server.');
  switch (ctx.method) {
    case 'PUT':
      return 'PutObjectTagging';
    case 'GET':
      return 'GetObjectTagging';
    case 'DELETE':
      return 'DeleteObjectTagging';
    default:
      throw new S3Error('MethodNotAllowed');
  }
}

export function resolveOperation(ctx: Ctx): Operation {
  const { query: q, method } = ctx;
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((s) => q.has(s));
  if (unsupported !== undefined) throw new S3Error('NotImplemented', `The ?${unsupported} subresource is not implemented by this local server.`);
  if (ctx.bucketName === undefined) {
    if (method === 'GET') return 'ListBuckets';
    throw new S3Error('MethodNotAllowed');
  }
  if (q.has('tagging')) return taggingOperation(ctx);
  if (ctx.key === undefined) {
    switch (method) {
      case 'GET':
        if (q.has('uploads')) return 'ListMultipartUploads';
        if (q.has('location')) return 'GetBucketLocation';
        if (q.has('list-type')) {
          if (q.get('list-type') !== '2') throw new S3Error('InvalidArgument', 'Invalid List Type specified', { ArgumentName: 'list-type', ArgumentValue: q.get('list-type') });
          return 'ListObjectsV2';
        }
        return 'ListObjects';
      case 'HEAD':
        return 'HeadBucket';
      case 'POST':
        return q.has('delete') ? 'DeleteObjects' : 'PostObject';
      case 'PUT':
      case 'DELETE':
        throw new S3Error('NotImplemented', 'Buckets are configured when the local server starts.');
      default:
        throw new S3Error('MethodNotAllowed');
    }
  }
  switch (method) {
    case 'PUT':
      if (header(ctx, 'x-amz-copy-source') !== undefined) throw new S3Error('NotImplemented', 'CopyObject / UploadPartCopy are not implemented by this local server.');
      return q.has('partNumber') || q.has('uploadId') ? 'UploadPart' : 'PutObject';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('partNumber')) throw new S3Error('NotImplemented', 'GetObject by partNumber is not implemented by this local server.');
      return 'GetObject';
    case 'HEAD':
      if (q.has('partNumber')) throw new S3Error('NotImplemented', 'HeadObject by partNumber is not implemented by this local server.');
      return 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      throw new S3Error('MethodNotAllowed');
    default:
      throw new S3Error('MethodNotAllowed');
  }
}
