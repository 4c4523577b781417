// Helpers for split-chunk stream tests: a recorded stream must translate the same however the
// network happens to cut it, so tests feed it in many deterministic random splits.

// A small deterministic PRNG (mulberry32) so a failing split can be replayed from its seed.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Sorted, distinct cut positions strictly inside 0..length.
export function splitPoints(length: number, seed: number): number[] {
  const random = seededRandom(seed);
  const count = Math.floor(random() * Math.min(length, 40));
  const cuts = new Set<number>();
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * Math.max(length - 1, 1)));
  return [...cuts].filter((cut) => cut > 0 && cut < length).sort((a, b) => a - b);
}

export function feedInSplits<T>(
  bytes: Uint8Array,
  cuts: number[],
  push: (piece: Uint8Array) => T[],
  end: () => T[],
): T[] {
  const out: T[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...end());
  return out;
}
