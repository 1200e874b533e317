// CRC-64/NVME (the CRC64NVME of S3's checksums) from hash-wasm's CRC-64 with NVMe's polynomial. Hashing
// bytes in memory, it did about 740 MiB/s in a Chromium worker in the algorithm study of 2026-12-04,
// against about 78 MiB/s for the SDK's pure-JS @aws-sdk/crc64-nvme; reading the file as well, the
// page's worker does 270 MiB/s in the latest benchmark run (README's Benchmarks).
// Its WebAssembly is compiled at run time, which is why the pages' CSP allows 'wasm-unsafe-eval'.
import { createCRC64, type IHasher } from 'hash-wasm';
import { CRC64NVME } from '../../../../contract/crc-combine.js';

/** NVMe's reflected polynomial, in hex; hash-wasm applies the initial value and final XOR (all ones) itself. */
const CRC64NVME_POLYNOMIAL = CRC64NVME.poly.toString(16).padStart(16, '0');

export type Crc64Hasher = IHasher;

export const createCrc64Nvme = (): Promise<Crc64Hasher> => createCRC64(CRC64NVME_POLYNOMIAL);
