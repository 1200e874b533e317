// PostObject: the browser's presigned-POST form upload, with the file streamed to disk after the policy has been checked.
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { assertMayRequestTags } from '../access.js';
import { assertWriteOnceAllows } from '../write-once.js';
import { Digests } from '../body.js';
import { DEFAULT_CHECKSUM_ALGORITHM } from '../checksums.js';
import { header, send, sendXml, startBody, wholeSeconds, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { eventObject, recordEvent } from '../events.js';
import { FormDataReader, type FormField } from '../form-data.js';
import { removeQuietly } from '../fs-util.js';
import { checkUserMeta } from '../object-headers.js';
import type { ObjectHeaders } from '../object-store.js';
import { formValue, verifyPostPolicy } from '../post-policy.js';
import { UNSIGNED_PAYLOAD } from '../sigv4.js';
import { parseTaggingXml } from '../tagging.js';
import { el, xmlDocument } from '../xml.js';
import { MAX_SINGLE_UPLOAD } from './objects.js';
import { S3_MAX_KEY_BYTES } from '../../../contract/limits.js';

/** S3 limits what precedes the file (fields incl. the policy) to 20 KB. */
const MAX_PRE_FILE_BYTES = 20 * 1024;

function objectHeadersFrom(fields: readonly FormField[]): { headers: ObjectHeaders; userMeta: Record<string, string> } {
  const userMeta: Record<string, string> = {};
  for (const { name, value } of fields) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-meta-')) userMeta[lower.slice('x-amz-meta-'.length)] = value;
  }
  checkUserMeta(userMeta);
  return {
    headers: {
      contentType: formValue(fields, 'content-type') ?? 'binary/octet-stream',
      contentDisposition: formValue(fields, 'content-disposition'),
      contentEncoding: formValue(fields, 'content-encoding'),
      cacheControl: formValue(fields, 'cache-control'),
      expires: formValue(fields, 'expires'),
    },
    userMeta,
  };
}

export async function postObject(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  const contentType = header(ctx, 'content-type') ?? '';
  const m = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw new S3Error('PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data', { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
  startBody(ctx);
  const form = new FormDataReader(ctx.req, m[1] ?? m[2]!, MAX_PRE_FILE_BYTES);
  let blob: string | undefined;
  try {
    const { fields, file } = await form.readFields();
    // Everything is checked before the first byte of the file is stored.
    const limits = await verifyPostPolicy(fields, bucket.name, env);
    // The policy's signer is the requester (events, tag conditions), as the Authorization header's is elsewhere.
    ctx.auth = { accessKeyId: limits.accessKeyId, presigned: false, payloadHash: UNSIGNED_PAYLOAD };
    if (!file) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', { ArgumentName: 'file', ArgumentValue: '0' });
    const keyField = formValue(fields, 'key');
    if (keyField === undefined) throw new S3Error('InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", { ArgumentName: 'key' });
    const key = keyField.replaceAll('${filename}', file.filename);
    if (key === '') throw new S3Error('InvalidArgument', 'User key must have a length greater than 0.', { ArgumentName: 'key' });
    if (Buffer.byteLength(key) > S3_MAX_KEY_BYTES) throw new S3Error('KeyTooLongError');
    const { headers, userMeta } = objectHeadersFrom(fields);
    // S3's POST takes tags as a Tagging XML document in the `tagging` field.
    const taggingField = formValue(fields, 'tagging');
    const tags = taggingField === undefined ? undefined : parseTaggingXml(taggingField);
    assertMayRequestTags(env, ctx, key, tags);
    assertWriteOnceAllows(env.writeOncePrefixes, ctx, 'PostObject', key);

    // A form upload declares no checksum here: the object gets S3's default one.
    const counter = new Digests(Math.min(limits.maxSize, MAX_SINGLE_UPLOAD), false, DEFAULT_CHECKSUM_ALGORITHM);
    blob = await bucket.objects.newBlob(key);
    const out = (await open(blob, 'wx')).createWriteStream({ highWaterMark: 1 << 20 });
    try {
      await pipeline(form.fileContent(), counter, out);
    } catch (error) {
      if (error instanceof S3Error && error.code === 'EntityTooLarge') {
        throw new S3Error('EntityTooLarge', undefined, { ProposedSize: counter.size, MaxSizeAllowed: limits.maxSize });
      }
      throw error;
    }
    if (counter.size < limits.minSize) throw new S3Error('EntityTooSmall', undefined, { ProposedSize: counter.size, MinSizeAllowed: limits.minSize });
    const meta = await bucket.objects.put(key, blob, {
      ...headers,
      userMeta,
      size: counter.size,
      etag: `"${counter.md5.digest('hex')}"`,
      lastModified: wholeSeconds(env.now()),
      checksum: counter.objectChecksum(),
      checksumType: 'FULL_OBJECT',
      tags: tags?.length ? tags : undefined,
    });
    recordEvent(ctx, env, bucket, 'Object Created', eventObject(meta, meta.sequencer, true), { reason: 'POST Object' });

    blob = undefined;
    const location = `http://${header(ctx, 'host') ?? 'localhost'}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const redirect = formValue(fields, 'success_action_redirect') ?? formValue(fields, 'redirect');
    if (redirect) {
      let target: URL;
      try {
        target = new URL(redirect);
      } catch {
        throw new S3Error('InvalidArgument', 'success_action_redirect is not a valid URL', { ArgumentName: 'success_action_redirect', ArgumentValue: redirect });
      }
      target.searchParams.set('bucket', bucket.name);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', meta.etag);
      send(ctx, 303, { Location: target.toString(), ETag: meta.etag });
      return;
    }
    const status = formValue(fields, 'success_action_status');
    if (status === '201') {
      sendXml(ctx, 201, xmlDocument('PostResponse', [el('Location', location), el('Bucket', bucket.name), el('Key', key), el('ETag', meta.etag)]), { ETag: meta.etag, Location: location });
    } else {
      send(ctx, status === '200' ? 200 : 204, { ETag: meta.etag, Location: location });
    }
  } finally {
    form.release();
    if (blob !== undefined) await removeQuietly(blob);
  }
}
