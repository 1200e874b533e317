// In-memory sorted key index so ListObjectsV2 pages through 100,000+ keys with binary searches instead of disk scans.

/**
 * S3 lists keys in UTF-8 byte order, which is code-point order; JavaScript's `<` compares UTF-16 code units,
 * which disagrees only when a surrogate meets U+E000..U+FFFF, so those two ranges are swapped here.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** First index whose key is >= target. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > target. */
export function upperBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, target) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index at or after `from` whose key no longer starts with `prefix` (keys sharing a prefix are contiguous). */
export function endOfPrefix(keys: readonly string[], from: number, prefix: string): number {
  let lo = from;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Additions are buffered and merged on the next read, and removals are left as stale entries that readers skip
 * (the owner's map is the truth), so bulk writes in any order cost O(n log n) overall rather than O(n) each.
 */
export class KeyIndex {
  private sorted: string[] = [];
  private pending: string[] = [];
  private stale = 0;

  constructor(private readonly isLive: (key: string) => boolean) {}

  load(keys: string[]): void {
    this.sorted = keys.sort(compareKeys);
    this.pending = [];
    this.stale = 0;
  }

  add(key: string): void {
    this.pending.push(key);
  }

  remove(): void {
    this.stale++;
  }

  /** Sorted keys; may contain keys that were removed since, which callers must skip via their own map. */
  snapshot(): readonly string[] {
    if (this.pending.length > 0 || this.stale > 1024 + this.sorted.length / 8) this.merge();
    return this.sorted;
  }

  private merge(): void {
    const added = this.pending.sort(compareKeys);
    const old = this.sorted;
    const out: string[] = [];
    let i = 0;
    let j = 0;
    let last: string | undefined;
    while (i < old.length || j < added.length) {
      const key = j >= added.length || (i < old.length && compareKeys(old[i]!, added[j]!) <= 0) ? old[i++]! : added[j++]!;
      if (key === last || !this.isLive(key)) continue;
      out.push(key);
      last = key;
    }
    this.sorted = out;
    this.pending = [];
    this.stale = 0;
  }
}
