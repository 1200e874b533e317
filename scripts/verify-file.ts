// `npm run verify-file -- <path> <checksum>`: checks a downloaded file against the checksum the portal
// shows (the receipt, the admin console, `aws s3api head-object --checksum-mode ENABLED`). It computes
// the file's CRC64NVME, streaming, so a file of any size needs little memory, prints it in base64 (as
// S3 and the receipt write it) and in hex, and exits 0 when it equals the checksum given (base64 or
// hex), 1 otherwise.
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isChecksumValue } from '../contract/checksums.js';
import { createCrc64Nvme } from '../web/src/shared/hashing/crc64nvme.js';

export interface FileCrc {
  base64: string;
  hex: string;
  bytes: number;
}

export async function crc64nvmeOfFile(path: string): Promise<FileCrc> {
  const hasher = await createCrc64Nvme();
  hasher.init();
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    hasher.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const digest = Buffer.from(hasher.digest('binary'));
  return { base64: digest.toString('base64'), hex: digest.toString('hex'), bytes };
}

/** The 8 bytes of a checksum written in base64 (12 characters) or hex (16 digits); null when it is neither. */
export function parseChecksum(text: string): Buffer | null {
  const value = text.trim();
  if (/^(0x)?[0-9a-f]{16}$/i.test(value)) return Buffer.from(value.replace(/^0x/i, ''), 'hex');
  if (isChecksumValue(value)) return Buffer.from(value, 'base64');
  return null;
}

const USAGE = 'Usage: npm run verify-file -- <path> <checksum>   (the CRC64NVME in base64, e.g. rosUhgp5mIg=, or hex)';

/** Runs the command; returns the exit code. */
export async function verifyFile(args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [path, given] = args;
  if (!path || !given || args.length > 2) {
    err(USAGE);
    return 1;
  }
  const expected = parseChecksum(given);
  if (!expected) {
    err(`"${given}" is not a CRC64NVME checksum: 12 base64 characters ending in "=", or 16 hex digits.`);
    err(USAGE);
    return 1;
  }
  let computed: FileCrc;
  try {
    computed = await crc64nvmeOfFile(path);
  } catch (error) {
    err(`Cannot read ${path}: ${(error as Error).message}`);
    return 1;
  }
  out(`CRC64NVME of ${path} (${computed.bytes} bytes)`);
  out(`  base64  ${computed.base64}`);
  out(`  hex     ${computed.hex}`);
  if (Buffer.from(computed.hex, 'hex').equals(expected)) {
    out('OK: the file matches the checksum given.');
    return 0;
  }
  out(`MISMATCH: the checksum given is ${expected.toString('base64')} (hex ${expected.toString('hex')}); this file is not the one it was computed from.`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await verifyFile(process.argv.slice(2), console.log, console.error);
}
