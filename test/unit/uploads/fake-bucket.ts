// A small in-memory model of the S3 calls the uploads Lambda makes, installed on an aws-sdk-client-mock
// stub. Tests then assert what the bucket holds afterwards (behaviour), not only which calls were made;
// a test can still override any one command with `s3Mock.on(Command).rejects(...)`.
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { endpointRecordKey } from '../../../contract/bucket-layout.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';

export interface StoredObject {
  body: string;
  size: number;
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
  lastModified: Date;
  checksum?: string;
}

export interface FakeUpload {
  key: string;
  metadata: Record<string, string>;
  contentType?: string;
  initiated: Date;
  parts: Map<number, { etag: string; size: number; checksum?: string }>;
  /** CreateMultipartUpload's ChecksumAlgorithm and ChecksumType. */
  checksumAlgorithm?: string;
  checksumType?: string;
  /**
   * The CRC64NVME of the object these parts make, as S3 would compute it at completion (the fake holds
   * no bytes); a completion stating another is BadDigest. Unset: whatever the completion states.
   */
  objectChecksum?: string;
}

/** An S3 service error as the SDK throws it. */
export function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

const etagOf = (text: string): string => `"${createHash('md5').update(text).digest('hex')}"`;

/** A stand-in CRC64NVME for a part (8 bytes, base64): distinct per part number. */
export const partChecksumOf = (partNumber: number): string => Buffer.from(createHash('md5').update(`part ${partNumber}`).digest().subarray(0, 8)).toString('base64');

export class FakeBucket {
  /**
   * How GetObject answers a missing key. 'AccessDenied' is what AWS tells the uploads role, whose
   * ListBucket grant is prefix-conditioned: without s3:ListBucket, S3 hides missing keys behind a 403.
   */
  missingObjectAnswer: 'NoSuchKey' | 'AccessDenied' = 'NoSuchKey';
  readonly objects = new Map<string, StoredObject>();
  readonly uploads = new Map<string, FakeUpload>();
  private nextUpload = 1;

  putObject(key: string, body: string, metadata: Record<string, string> = {}, lastModified = new Date('2026-11-01T10:00:00Z')): void {
    this.objects.set(key, { body, size: Buffer.byteLength(body), etag: etagOf(body), metadata, lastModified });
  }

  putEndpoint(record: EndpointRecord): void {
    this.putObject(endpointRecordKey(record.name), JSON.stringify(record));
  }

  /** Starts an upload directly (as if created earlier); returns its id. */
  startUpload(key: string, metadata: Record<string, string> = {}): string {
    const id = `upload-${this.nextUpload++}.Zx_9-`;
    this.uploads.set(id, { key, metadata, initiated: new Date('2026-11-01T09:00:00Z'), parts: new Map() });
    return id;
  }

  /**
   * Stores a part as a browser PUT to a presigned URL would; returns its (quoted) ETag, an MD5 as S3's.
   * A part of a checksummed upload gets a checksum (S3 verifies the stated one or computes its own).
   */
  putPart(uploadId: string, partNumber: number, size: number, etag = etagOf(`${uploadId}/${partNumber}/${size}`), checksum?: string): string {
    const upload = this.uploads.get(uploadId)!;
    const stated = checksum ?? (upload.checksumAlgorithm ? partChecksumOf(partNumber) : undefined);
    upload.parts.set(partNumber, { etag, size, ...(stated ? { checksum: stated } : {}) });
    return etag;
  }

  /** A multipart reservation for `key`, as create writes it (default: a stock client's, no size, unbounded). */
  putReservation(endpoint: string, key: string, fields: Record<string, unknown> = {}): void {
    const reservation = { version: 1, key, endpoint, kind: 'multipart', declaredSize: null, checksumAlgorithm: null, uploadedBy: 'test', createdAt: '2026-11-01T09:00:00Z', ...fields };
    this.putObject(reservationKey(endpoint, key), JSON.stringify(reservation));
  }

  reservations(): Array<Record<string, unknown>> {
    return [...this.objects.entries()].filter(([k]) => k.startsWith('uploads/.portal-pending/')).map(([, o]) => JSON.parse(o.body));
  }

  install(mock: AwsClientStub<S3Client>): void {
    mock.on(GetObjectCommand).callsFake(({ Key }) => {
      const object = this.objects.get(Key);
      if (!object && this.missingObjectAnswer === 'AccessDenied') {
        throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
      }
      if (!object) throw s3Error('NoSuchKey', 404, 'The specified key does not exist.');
      return { Body: { transformToString: async () => object.body }, ETag: object.etag, Metadata: object.metadata, ContentLength: object.size };
    });
    mock.on(HeadObjectCommand).callsFake(({ Key }) => {
      const object = this.objects.get(Key);
      if (!object) throw s3Error('NotFound', 404);
      return { ETag: object.etag, Metadata: object.metadata, ContentLength: object.size };
    });
    mock.on(PutObjectCommand).callsFake(({ Key, Body, IfNoneMatch, Metadata, ContentType }) => {
      if (IfNoneMatch === '*' && this.objects.has(Key)) throw s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
      this.putObject(Key, String(Body), Metadata ?? {});
      this.objects.get(Key)!.contentType = ContentType;
      return { ETag: this.objects.get(Key)!.etag };
    });
    mock.on(CreateMultipartUploadCommand).callsFake(({ Key, Metadata, ContentType, ChecksumAlgorithm, ChecksumType }) => {
      const id = this.startUpload(Key, Metadata ?? {});
      Object.assign(this.uploads.get(id)!, { contentType: ContentType, checksumAlgorithm: ChecksumAlgorithm, checksumType: ChecksumType });
      return { Key, UploadId: id, ChecksumAlgorithm, ChecksumType };
    });
    mock.on(ListPartsCommand).callsFake(({ Key, UploadId, PartNumberMarker, MaxParts }) => {
      const upload = this.uploads.get(UploadId);
      if (!upload || upload.key !== Key) throw s3Error('NoSuchUpload', 404);
      const max = Math.min(MaxParts ?? 1000, 1000);
      const after = Number(PartNumberMarker ?? 0);
      const all = [...upload.parts.entries()].sort(([a], [b]) => a - b).filter(([n]) => n > after);
      const page = all.slice(0, max);
      return {
        Parts: page.map(([n, p]) => ({ PartNumber: n, ETag: p.etag, Size: p.size, LastModified: new Date(), ...(p.checksum ? { ChecksumCRC64NVME: p.checksum } : {}) })),
        ChecksumAlgorithm: upload.checksumAlgorithm,
        ChecksumType: upload.checksumType,
        IsTruncated: all.length > max,
        NextPartNumberMarker: page.length ? String(page[page.length - 1]![0]) : undefined,
        PartNumberMarker: PartNumberMarker,
      };
    });
    mock.on(ListMultipartUploadsCommand).callsFake(({ Prefix }) => ({
      Uploads: [...this.uploads.entries()]
        .filter(([, u]) => u.key.startsWith(Prefix ?? ''))
        .map(([id, u]) => ({ Key: u.key, UploadId: id, Initiated: u.initiated })),
      IsTruncated: false,
    }));
    mock.on(CompleteMultipartUploadCommand).callsFake(({ Key, UploadId, MultipartUpload, IfNoneMatch, ChecksumCRC64NVME, ChecksumType, MpuObjectSize }) => {
      const upload = this.uploads.get(UploadId);
      if (!upload || upload.key !== Key) throw s3Error('NoSuchUpload', 404);
      if (IfNoneMatch === '*' && this.objects.has(Key)) throw s3Error('PreconditionFailed', 412);
      let size = 0;
      const digests: Buffer[] = [];
      for (const part of MultipartUpload?.Parts ?? []) {
        const stored = upload.parts.get(part.PartNumber);
        if (!stored || stored.etag !== part.ETag) throw s3Error('InvalidPart', 400);
        if (part.ChecksumCRC64NVME !== undefined && part.ChecksumCRC64NVME !== stored.checksum) throw s3Error('InvalidPart', 400);
        size += stored.size;
        digests.push(Buffer.from(stored.etag.replace(/"/g, ''), 'hex'));
      }
      // As S3: the stated type must be the upload's, the stated size the parts' sum, the stated checksum the object's.
      if (ChecksumType !== undefined && ChecksumType !== upload.checksumType) throw s3Error('BadDigest', 400, 'The checksum type does not match the upload');
      if (MpuObjectSize !== undefined && MpuObjectSize !== size) throw s3Error('InvalidRequest', 400, 'The object size does not match the parts');
      if (ChecksumCRC64NVME !== undefined && upload.objectChecksum !== undefined && ChecksumCRC64NVME !== upload.objectChecksum) {
        throw s3Error('BadDigest', 400, 'The crc64nvme you specified did not match the calculated checksum.');
      }
      const checksum = upload.checksumAlgorithm ? (ChecksumCRC64NVME ?? upload.objectChecksum) : undefined;
      // S3's multipart ETag: the MD5 of the parts' binary MD5s, then the part count.
      const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}"`;
      this.objects.set(Key, { body: '', size, etag, metadata: upload.metadata, contentType: upload.contentType, lastModified: new Date(), ...(checksum ? { checksum } : {}) });
      this.uploads.delete(UploadId);
      return {
        Key,
        Location: `https://bucket.s3.eu-west-1.amazonaws.com/${encodeURI(Key)}`,
        ETag: etag,
        ...(checksum ? { ChecksumCRC64NVME: checksum, ChecksumType: 'FULL_OBJECT' as const } : {}),
      };
    });
    mock.on(AbortMultipartUploadCommand).callsFake(({ Key, UploadId }) => {
      const upload = this.uploads.get(UploadId);
      if (!upload || upload.key !== Key) throw s3Error('NoSuchUpload', 404);
      this.uploads.delete(UploadId);
      return {};
    });
    mock.on(ListObjectsV2Command).callsFake(({ Prefix, MaxKeys, ContinuationToken }) => {
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(Prefix ?? '')).sort();
      const start = ContinuationToken ? Number(ContinuationToken.replace('token-', '')) : 0;
      if (Number.isNaN(start)) throw s3Error('InvalidArgument', 400, 'The continuation token provided is incorrect');
      const max = MaxKeys ?? 1000;
      const page = keys.slice(start, start + max);
      const truncated = start + max < keys.length;
      return {
        Contents: page.map((Key) => ({ Key, ETag: this.objects.get(Key)!.etag, Size: this.objects.get(Key)!.size, LastModified: this.objects.get(Key)!.lastModified })),
        IsTruncated: truncated,
        NextContinuationToken: truncated ? `token-${start + max}` : undefined,
        KeyCount: page.length,
      };
    });
  }
}
