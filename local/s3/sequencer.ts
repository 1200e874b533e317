// Event sequencers: hex strings that grow with every committed change, so events on one key can be ordered, also
// across restarts (they follow the clock, and never fall behind the newest one found on disk).

/** Sequencers per millisecond before one borrows from the next: far more than this server commits. */
const PER_MS_BITS = 20n;
let last = 0n;

/** The next sequencer: 16 hex digits (like S3's), greater than every one handed out or observed before. */
export function nextSequencer(): string {
  const fromClock = BigInt(Date.now()) << PER_MS_BITS;
  last = fromClock > last ? fromClock : last + 1n;
  return last.toString(16).toUpperCase().padStart(16, '0');
}

/** Makes later sequencers greater than one stored earlier (the clock may have been set back since). */
export function observeSequencer(sequencer: string): void {
  if (!/^[0-9A-Fa-f]{1,16}$/.test(sequencer)) return;
  const value = BigInt(`0x${sequencer}`);
  if (value > last) last = value;
}
