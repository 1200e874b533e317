// A file's CRC64NVME as the page computes it, with one of the SDK's checksum classes (the pure-JS
// @aws-sdk/crc64-nvme or the CRT's): a fresh hash per part, the whole file's combined from the parts'.
import { combinedChecksum, CRC64NVME, type PartCrc } from '../contract/crc-combine.js';

export async function checksumByParts(data: Buffer, partBytes: number, Hash: new () => { update(data: Uint8Array): void; digest(): Promise<Uint8Array> }): Promise<string> {
  const parts: PartCrc[] = [];
  for (let offset = 0; offset < data.length; offset += partBytes) {
    const part = data.subarray(offset, offset + partBytes);
    const hash = new Hash();
    hash.update(part);
    parts.push({ value: Buffer.from(await hash.digest()).toString('base64'), size: part.length });
  }
  return combinedChecksum(CRC64NVME, parts);
}
