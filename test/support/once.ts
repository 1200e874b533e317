// Memoised steps for test fixtures: a step that several tests need is done by whichever test asks
// first, and the others share its result, so each test can run alone or in any order without
// paying for the step twice. A failure is shared as well: the step is never half-done twice.

/** `step` runs at most once: the first call starts it, every call returns the same promise. */
export function once<T>(step: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= step());
}

/** `once` per key: `step(key)` runs at most once for each key. */
export function oncePerKey<K, T>(step: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const results = new Map<K, Promise<T>>();
  return (key) => {
    let result = results.get(key);
    if (!result) results.set(key, (result = step(key)));
    return result;
  };
}
