// The EICAR anti-malware test file's signature (eicar.org): 68 harmless ASCII bytes every scanner
// reports as malware, so a scan can be tested without real malware. Written split here so that a
// scanner looking at this repository does not flag the source file itself.
export const EICAR_SIGNATURE = Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''), 'latin1');

/** The name GuardDuty reports for it. */
export const EICAR_THREAT_NAME = 'EICAR-Test-File (not a virus)';

/**
 * Looks for the signature anywhere in a stream of chunks, also across chunk boundaries. (Real scanners
 * only accept it at the start of a file followed by at most 128 bytes of whitespace; the stand-in is
 * more eager, which can only make tests stricter.)
 */
export async function containsEicar(chunks: AsyncIterable<Uint8Array>): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const window = Buffer.concat([tail, Buffer.from(chunk)]);
    if (window.includes(EICAR_SIGNATURE)) return true;
    tail = window.subarray(Math.max(0, window.length - (EICAR_SIGNATURE.length - 1)));
  }
  return false;
}
