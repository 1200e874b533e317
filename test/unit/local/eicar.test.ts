import { describe, expect, it } from 'vitest';
import { containsEicar, EICAR_SIGNATURE } from '../../../local/scanner/eicar.js';

async function* chunks(...parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

describe('the scanner stand-in\'s EICAR search', () => {
  it('finds the signature at the start, in the middle and split across chunks', async () => {
    expect(await containsEicar(chunks(EICAR_SIGNATURE))).toBe(true);
    expect(await containsEicar(chunks(Buffer.from('x'.repeat(5000)), EICAR_SIGNATURE, Buffer.from('tail')))).toBe(true);
    for (const cut of [1, 17, EICAR_SIGNATURE.length - 1]) {
      expect(await containsEicar(chunks(Buffer.from('abc'), EICAR_SIGNATURE.subarray(0, cut), EICAR_SIGNATURE.subarray(cut))), `cut at ${cut}`).toBe(true);
    }
  });

  it('finds nothing in other bytes, nor in a signature missing its last byte', async () => {
    expect(await containsEicar(chunks(Buffer.from('hello world')))).toBe(false);
    expect(await containsEicar(chunks(EICAR_SIGNATURE.subarray(0, EICAR_SIGNATURE.length - 1)))).toBe(false);
    expect(await containsEicar(chunks())).toBe(false);
  });
});
