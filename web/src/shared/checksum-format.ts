// A checksum as the portal writes it: S3's base64 of the big-endian digest, and the same bytes in hex
// (what most CRC tools print). Pure, so both pages and their tests use the same conversions.
import { CHECKSUM_ALGORITHM, CHECKSUM_TYPE, isChecksumValue, type FileChecksum } from '../../../contract/checksums.js';

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

export function base64ToHex(base64: string): string {
  return Array.from(atob(base64), (char) => char.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/** A CRC64NVME value (base64, as S3 answers it) as the portal shows it; null for anything else. */
export function fileChecksumOf(base64: string | null | undefined): FileChecksum | null {
  if (!isChecksumValue(base64)) return null;
  return { algorithm: CHECKSUM_ALGORITHM, type: CHECKSUM_TYPE, base64, hex: base64ToHex(base64) };
}
