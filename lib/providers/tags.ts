// Tags arrive as one comma-separated text field and are stored as a string array.

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

export type TagsParse = { ok: true; tags: string[] } | { ok: false; message: string };

/** Splits on commas, trims, drops empties and case-insensitive duplicates (first spelling wins). */
export function parseTags(input: string): TagsParse {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input.split(",")) {
    const tag = raw.trim().replace(/\s+/g, " ");
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH)
      return {
        ok: false,
        message: `Each tag can have at most ${MAX_TAG_LENGTH} characters (“${tag.slice(0, 20)}…” is longer).`,
      };
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, message: `Use at most ${MAX_TAGS} tags.` };
  return { ok: true, tags };
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(", ");
}
