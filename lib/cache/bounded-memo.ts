/**
 * Remembers `compute(key)` for up to `max` keys and forgets them all at once when full: for pure
 * functions of few distinct inputs on a hot path (a verdict per address, a parsed URL). A compute
 * that throws is not remembered.
 */
export function boundedMemo<K, V>(max: number, compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = compute(key);
    if (known.size >= max) known.clear();
    known.set(key, value);
    return value;
  };
}
