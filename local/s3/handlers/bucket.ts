// Bucket-level operations: ListBuckets, HeadBucket, GetBucketLocation, ListObjects (v1 and v2), DeleteObjects.
import { receiveToBuffer, requireBodyDigest } from '../body.js';
import { send, sendXml, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { decodeToken, encodeToken, listObjects, parseMaxKeys, type ListOutput } from '../listing.js';
import { isWriteOnceKey } from '../write-once.js';
import { el, node, parseRequestXml, xmlDocument, type XmlChild } from '../xml.js';
import { deleteAndRecord } from './objects.js';

const MAX_DELETE_KEYS = 1000;

export function listBuckets(ctx: Ctx, env: Env, createdAt: string): void {
  sendXml(
    ctx,
    200,
    xmlDocument('ListAllMyBucketsResult', [
      node('Owner', [el('ID', 'local-s3-owner'), el('DisplayName', 'local')]),
      node('Buckets', [...env.buckets.keys()].sort().map((name) => node('Bucket', [el('Name', name), el('CreationDate', createdAt), el('BucketRegion', env.region)]))),
    ]),
  );
}

export function headBucket(ctx: Ctx, env: Env): void {
  send(ctx, 200, { 'x-amz-bucket-region': env.region });
}

export function getBucketLocation(ctx: Ctx, env: Env): void {
  // us-east-1 is reported as an empty constraint, for historical reasons.
  const region = env.region === 'us-east-1' ? '' : env.region;
  sendXml(ctx, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`);
}

function encodingType(ctx: Ctx): ((s: string) => string) | undefined {
  const value = ctx.query.get('encoding-type');
  if (value === undefined) return undefined;
  if (value !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: value });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

type ListingQuery = ReturnType<typeof listingQuery>;

/** What ListObjects V1 and V2 read alike: encoding, prefix, delimiter, max-keys. */
function listingQuery(ctx: Ctx) {
  const encoder = encodingType(ctx);
  return {
    encoder,
    encode: encoder ?? ((s: string) => s),
    prefix: ctx.query.get('prefix') ?? '',
    delimiter: ctx.query.get('delimiter') || undefined,
    maxKeys: parseMaxKeys(ctx.query.get('max-keys')),
  };
}

/** The ListBucketResult of either version: bucket and prefix, that version's own elements, then the keys and prefixes. */
function sendListBucketResult(ctx: Ctx, bucket: Bucket, query: ListingQuery, result: ListOutput, versionElements: XmlChild[]): void {
  const { encoder, encode } = query;
  sendXml(
    ctx,
    200,
    xmlDocument('ListBucketResult', [
      el('Name', bucket.name),
      el('Prefix', encode(query.prefix)),
      ...versionElements,
      encoder ? el('EncodingType', 'url') : undefined,
      ...result.contents.map((m) =>
        node('Contents', [el('Key', encode(m.key)), el('LastModified', m.lastModified), el('ETag', m.etag), el('Size', m.size), el('StorageClass', 'STANDARD')]),
      ),
      ...result.commonPrefixes.map((p) => node('CommonPrefixes', [el('Prefix', encode(p))])),
    ]),
  );
}

export function listObjectsV2(ctx: Ctx, _env: Env, bucket: Bucket): void {
  const q = ctx.query;
  const query = listingQuery(ctx);
  const { encode, prefix, delimiter, maxKeys } = query;
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') || undefined;
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const result = listObjects(bucket.objects, { prefix, delimiter, after, maxKeys });
  sendListBucketResult(ctx, bucket, query, result, [
    delimiter === undefined ? undefined : el('Delimiter', encode(delimiter)),
    el('MaxKeys', maxKeys),
    el('KeyCount', result.contents.length + result.commonPrefixes.length),
    el('IsTruncated', result.isTruncated),
    token === undefined ? undefined : el('ContinuationToken', token),
    result.isTruncated && result.last !== undefined ? el('NextContinuationToken', encodeToken(result.last)) : undefined,
    startAfter === undefined ? undefined : el('StartAfter', encode(startAfter)),
  ]);
}

export function listObjectsV1(ctx: Ctx, _env: Env, bucket: Bucket): void {
  const query = listingQuery(ctx);
  const { encode, prefix, delimiter, maxKeys } = query;
  const marker = ctx.query.get('marker') || undefined;
  const result = listObjects(bucket.objects, { prefix, delimiter, after: marker, maxKeys });
  sendListBucketResult(ctx, bucket, query, result, [
    el('Marker', encode(marker ?? '')),
    // As in S3, NextMarker only comes with a delimiter; otherwise clients continue from the last key.
    delimiter !== undefined && result.isTruncated && result.last !== undefined ? el('NextMarker', encode(result.last)) : undefined,
    el('MaxKeys', maxKeys),
    delimiter === undefined ? undefined : el('Delimiter', encode(delimiter)),
    el('IsTruncated', result.isTruncated),
  ]);
}

export async function deleteObjects(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  requireBodyDigest(ctx);
  const { body } = await receiveToBuffer(ctx, 2 * 1024 * 1024);
  const root = parseRequestXml(body);
  const objects = root.name === 'Delete' ? root.children.filter((c) => c.name === 'Object') : [];
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML');
  const quiet = root.children.find((c) => c.name === 'Quiet')?.text.trim() === 'true';
  const keys = objects.map((o) => {
    const key = o.children.find((c) => c.name === 'Key')?.text;
    if (key === undefined) throw new S3Error('MalformedXML');
    return key;
  });
  const results: string[] = [];
  for (const key of keys) {
    if (isWriteOnceKey(env.writeOncePrefixes, key)) {
      // A Deny on s3:DeleteObject answers each such key with AccessDenied and deletes the others.
      results.push(node('Error', [el('Key', key), el('Code', 'AccessDenied'), el('Message', 'Access Denied')]));
      continue;
    }
    try {
      await deleteAndRecord(ctx, env, bucket, key);
      if (!quiet) results.push(node('Deleted', [el('Key', key)]));
    } catch {
      results.push(node('Error', [el('Key', key), el('Code', 'InternalError'), el('Message', 'We encountered an internal error. Please try again.')]));
    }
  }
  sendXml(ctx, 200, xmlDocument('DeleteResult', results));
}
