// `npm run verify-file`: the file's CRC64NVME (hash-wasm, streamed) must equal the AWS SDK's own
// implementation's, over data spanning several read chunks; a base64 or hex checksum is accepted;
// the exit code says whether the file matches.
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64nvmeOfFile, parseChecksum, verifyFile } from '../../../scripts/verify-file.js';

let dir: string;
let vector: string;
let big: string;
let bigData: Buffer;

async function sdkCrc(data: Buffer): Promise<Buffer> {
  const hash = new Crc64Nvme();
  hash.update(data);
  return Buffer.from(await hash.digest());
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verifyFile(args, (line) => out.push(line), (line) => err.push(line));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-file-'));
  vector = join(dir, 'vector.txt');
  await writeFile(vector, '123456789');
  // Over two 4 MiB read chunks, with a ragged end.
  bigData = randomBytes(9 * 1024 * 1024 + 12_345);
  big = join(dir, 'big.bin');
  await writeFile(big, bigData);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('crc64nvmeOfFile', () => {
  it('gives the CRC-64/NVME check value for "123456789"', async () => {
    expect(await crc64nvmeOfFile(vector)).toEqual({ base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888', bytes: 9 });
  });

  it("agrees with the AWS SDK's CRC64NVME over a file read in several chunks", async () => {
    const expected = await sdkCrc(bigData);
    expect(await crc64nvmeOfFile(big)).toEqual({ base64: expected.toString('base64'), hex: expected.toString('hex'), bytes: bigData.length });
  });

  it('hashes an empty file', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    expect((await crc64nvmeOfFile(empty)).hex).toBe((await sdkCrc(Buffer.alloc(0))).toString('hex'));
  });
});

describe('parseChecksum', () => {
  it.each(['rosUhgp5mIg=', 'ae8b14860a799888', 'AE8B14860A799888', '0xae8b14860a799888', ' rosUhgp5mIg= '])('reads %j as the 8 bytes ae8b14860a799888', (text) => {
    expect(parseChecksum(text)?.toString('hex')).toBe('ae8b14860a799888');
  });

  it.each(['rosUhgp5mIg', 'rosUhgp5mIg==', 'y/Q5Jg==', 'ae8b14860a79988', 'ae8b14860a799888ff', 'zz8b14860a799888', ''])('refuses %j', (text) => {
    expect(parseChecksum(text)).toBeNull();
  });
});

describe('verifyFile (the command)', () => {
  it('prints base64 and hex and exits 0 when the file matches, whichever form was given', async () => {
    const expected = await sdkCrc(bigData);
    for (const given of [expected.toString('base64'), expected.toString('hex')]) {
      const result = await run([big, given]);
      expect(result.code, given).toBe(0);
      expect(result.out).toContain(`base64  ${expected.toString('base64')}`);
      expect(result.out).toContain(`hex     ${expected.toString('hex')}`);
      expect(result.out).toContain('OK');
    }
  });

  it('exits 1 on a mismatch, naming both values', async () => {
    const result = await run([vector, 'AAAAAAAAAAA=']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/MISMATCH/);
    expect(result.out).toContain('rosUhgp5mIg=');
  });

  it('exits 1 with a reason for a malformed checksum, a missing file or missing arguments', async () => {
    expect(await run([vector, 'not-a-checksum'])).toMatchObject({ code: 1, err: expect.stringContaining('is not a CRC64NVME checksum') });
    expect(await run([join(dir, 'missing.bin'), 'rosUhgp5mIg='])).toMatchObject({ code: 1, err: expect.stringContaining('Cannot read') });
    expect(await run([vector])).toMatchObject({ code: 1, err: expect.stringContaining('Usage') });
  });

  it('runs as a script (what `npm run verify-file` starts) with the exit code as its result', () => {
    const script = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-file.ts', ...args], { encoding: 'utf8' });
    const ok = script([vector, 'rosUhgp5mIg=']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('ae8b14860a799888');
    expect(script([vector, 'ae8b14860a799889']).status).toBe(1);
  });
});
