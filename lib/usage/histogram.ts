// Latency histograms stored in the latency rollups (usage_latency_hourly/_daily). Latencies are
// whole milliseconds, so the buckets have whole-millisecond bounds:
//
//   b[0] = 0,  b[i+1] = max(b[i] + 1, floor(b[i] × 1.02))          (554 bounds, scheme version 2)
//   bucket i holds the integers b[i] .. b[i+1] − 1; the last bucket, from b[553] = 606,866 ms
//   (about 10 minutes), is the overflow bucket.
//
// Below 100 ms every bucket is a single millisecond (exact); above, a bucket spans less than 2 %
// of its lower bound. A percentile estimated anywhere inside the right bucket is therefore within
// 2 % of the true order statistic (lib/charts/percentiles.ts interpolates inside the bucket).
// Stored sparsely as bytea: one 6-byte pair (uint16 bucket, uint32 count, big-endian) per
// non-empty bucket, in bucket order, so a day of one model is ~150 pairs, not 554 counters.
// Changing the scheme needs a rebuild of the latency rollups from usage_records.

export const HIST_BOUNDS: readonly number[] = (() => {
  const bounds = [0];
  while (bounds[bounds.length - 1]! < 600_000) {
    const last = bounds[bounds.length - 1]!;
    bounds.push(Math.max(last + 1, Math.floor((last * 102) / 100)));
  }
  return bounds;
})();

export const HIST_LENGTH = HIST_BOUNDS.length;
export const OVERFLOW_BUCKET = HIST_LENGTH - 1;

/** Bucket of a latency in ms (negative or fractional values are floored into range). */
export function bucketIndex(ms: number): number {
  const value = Math.floor(ms);
  if (!(value > 0)) return 0;
  if (value < 100) return value;
  let low = 100;
  let high = OVERFLOW_BUCKET;
  // Last bound <= value: binary search over the sorted bounds.
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (HIST_BOUNDS[mid]! <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Smallest and largest whole millisecond a bucket can hold (the overflow bucket: its bound). */
export function bucketRange(index: number): { low: number; high: number } {
  const low = HIST_BOUNDS[index] ?? HIST_BOUNDS[OVERFLOW_BUCKET]!;
  if (index >= OVERFLOW_BUCKET) return { low, high: low };
  return { low, high: HIST_BOUNDS[index + 1]! - 1 };
}

export type DenseHistogram = Float64Array;

export function emptyHistogram(): DenseHistogram {
  return new Float64Array(HIST_LENGTH);
}

export function addToHistogram(histogram: DenseHistogram, ms: number, count = 1): void {
  const index = bucketIndex(ms);
  histogram[index] = histogram[index]! + count;
}

const PAIR_BYTES = 6;

/** Adds an encoded (sparse) histogram into a dense one. A null/empty value adds nothing. */
export function addEncoded(target: DenseHistogram, encoded: Uint8Array | null | undefined): DenseHistogram {
  if (!encoded || encoded.byteLength < PAIR_BYTES) return target;
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  for (let offset = 0; offset + PAIR_BYTES <= encoded.byteLength; offset += PAIR_BYTES) {
    const index = view.getUint16(offset);
    if (index < HIST_LENGTH) target[index] = target[index]! + view.getUint32(offset + 2);
  }
  return target;
}

/** The sparse bytea encoding of a dense histogram. Counts per bucket must fit in uint32. */
export function encodeHistogram(histogram: DenseHistogram): Buffer {
  let used = 0;
  for (let i = 0; i < HIST_LENGTH; i += 1) if (histogram[i]) used += 1;
  const out = Buffer.allocUnsafe(used * PAIR_BYTES);
  let offset = 0;
  for (let i = 0; i < HIST_LENGTH; i += 1) {
    const count = histogram[i]!;
    if (!count) continue;
    if (count > 0xffffffff) throw new RangeError(`Histogram bucket ${i} overflows uint32 (${count}).`);
    out.writeUInt16BE(i, offset);
    out.writeUInt32BE(count, offset + 2);
    offset += PAIR_BYTES;
  }
  return out;
}

/**
 * An encoded histogram plus a sparse delta (bucket → count), encoded: a merge of two sorted
 * lists, O(stored pairs + delta buckets). The write path's merge.
 */
export function mergeIntoEncoded(stored: Uint8Array | null | undefined, delta: ReadonlyMap<number, number>): Buffer {
  const added = [...delta.keys()].sort((a, b) => a - b);
  const storedPairs = stored ? Math.floor(stored.byteLength / PAIR_BYTES) : 0;
  const out = Buffer.allocUnsafe((storedPairs + added.length) * PAIR_BYTES);
  const view = stored && storedPairs ? new DataView(stored.buffer, stored.byteOffset, stored.byteLength) : null;
  let offset = 0;
  const write = (index: number, count: number) => {
    if (count > 0xffffffff) throw new RangeError(`Histogram bucket ${index} overflows uint32 (${count}).`);
    out.writeUInt16BE(index, offset);
    out.writeUInt32BE(count, offset + 2);
    offset += PAIR_BYTES;
  };
  let next = 0;
  for (let pair = 0; pair < storedPairs; pair += 1) {
    const index = view!.getUint16(pair * PAIR_BYTES);
    const count = view!.getUint32(pair * PAIR_BYTES + 2);
    while (next < added.length && added[next]! < index) {
      write(added[next]!, delta.get(added[next]!)!);
      next += 1;
    }
    if (next < added.length && added[next] === index) {
      write(index, count + delta.get(index)!);
      next += 1;
    } else write(index, count);
  }
  for (; next < added.length; next += 1) write(added[next]!, delta.get(added[next]!)!);
  return out.subarray(0, offset);
}

/** Non-empty buckets only, in bucket order: what percentiles walk. */
export type SparseHistogram = { indexes: Uint16Array; counts: Float64Array; total: number };

export function decodeHistogram(encoded: Uint8Array | null | undefined): SparseHistogram {
  const pairs = encoded ? Math.floor(encoded.byteLength / PAIR_BYTES) : 0;
  const indexes = new Uint16Array(pairs);
  const counts = new Float64Array(pairs);
  let total = 0;
  if (encoded && pairs) {
    const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    for (let pair = 0; pair < pairs; pair += 1) {
      indexes[pair] = Math.min(view.getUint16(pair * PAIR_BYTES), OVERFLOW_BUCKET);
      counts[pair] = view.getUint32(pair * PAIR_BYTES + 2);
      total += counts[pair]!;
    }
  }
  return { indexes, counts, total };
}

export function sparseOf(histogram: DenseHistogram): SparseHistogram {
  let used = 0;
  for (let i = 0; i < HIST_LENGTH; i += 1) if (histogram[i]) used += 1;
  const indexes = new Uint16Array(used);
  const counts = new Float64Array(used);
  let total = 0;
  for (let i = 0, pair = 0; i < HIST_LENGTH; i += 1) {
    const count = histogram[i]!;
    if (!count) continue;
    indexes[pair] = i;
    counts[pair] = count;
    total += count;
    pair += 1;
  }
  return { indexes, counts, total };
}

export function histogramTotal(histogram: DenseHistogram): number {
  let total = 0;
  for (let i = 0; i < HIST_LENGTH; i += 1) total += histogram[i]!;
  return total;
}

/** The bounds as a PostgreSQL int4[] literal, for width_bucket() in SQL (the rebuild migration). */
export function boundsSqlLiteral(): string {
  return `'{${HIST_BOUNDS.join(",")}}'::int4[]`;
}
