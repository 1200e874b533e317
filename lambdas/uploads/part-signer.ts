// Presigned UploadPart URLs, signed locally (bucket-presigner.ts: no S3 round trip per part).
//
// A checksummed part's URL binds its exact length and its CRC64NVME as signed headers
// (`content-length`, `x-amz-checksum-crc64nvme`, `x-amz-sdk-checksum-algorithm`), so S3 stores
// exactly the bytes the page hashed as that part: other bytes of the same length get 400 BadDigest,
// another length 403 SignatureDoesNotMatch. A plain part of an upload with a declared size binds its
// planned length only (part-bounds.ts); a stock Companion client's plain part binds neither.
import { CHECKSUM_ALGORITHM, CHECKSUM_HEADER, SDK_CHECKSUM_ALGORITHM_HEADER } from '../../contract/checksums.js';
import type { BucketPresigner } from './bucket-presigner.js';

/** What a part's URL binds besides its number: its length, and for a checksummed part its checksum. */
export interface PartBinding {
  size: number;
  /** Base64 CRC64NVME; absent for a plain part of an upload with a declared size (length only). */
  checksum?: string;
}

/** The signed headers of a bound part, as the SDK names them for UploadPart. */
export const partHeaders = (binding: PartBinding): Record<string, string> => ({
  'content-length': String(binding.size),
  ...(binding.checksum !== undefined ? { [CHECKSUM_HEADER]: binding.checksum, [SDK_CHECKSUM_ALGORITHM_HEADER]: CHECKSUM_ALGORITHM } : {}),
});

export class PartSigner {
  constructor(private readonly presigner: BucketPresigner) {}

  /** Same URL as getSignedUrl(UploadPartCommand) with ContentLength and ChecksumCRC64NVME kept as headers. */
  async sign(key: string, uploadId: string, partNumber: number, expiresIn: number, binding?: PartBinding): Promise<string> {
    return this.presigner.presignPut({
      key,
      query: { 'x-id': 'UploadPart', partNumber: String(partNumber), uploadId },
      headers: binding ? partHeaders(binding) : {},
      expiresIn,
    });
  }
}
