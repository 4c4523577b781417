// Splits a byte stream into lines without ever holding more than one line (bounded by maxLineBytes)
// in memory: the fine-tuning validator reads a 100 MB training file this way. Lines end at "\n"
// (a preceding "\r" is dropped); the text after the last newline is a line when it is not empty.
// A line longer than maxLineBytes is not kept: it is reported once as `tooLong` (its bytes are
// skipped up to its newline), so one huge line cannot exhaust memory either.

export type SplitLine = { lineNumber: number; text: string; tooLong: false } | { lineNumber: number; tooLong: true };

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;

export async function* splitLines(
  source: AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<SplitLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8");
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let lineNumber = 0;

  const finish = (): SplitLine => {
    lineNumber += 1;
    if (skipping) {
      skipping = false;
      return { lineNumber, tooLong: true };
    }
    const joined = pending.length === 1 ? pending[0]! : concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let text = decoder.decode(joined);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    return { lineNumber, text, tooLong: false };
  };

  const keep = (part: Uint8Array) => {
    if (skipping || part.length === 0) return;
    if (pendingBytes + part.length > maxLineBytes) {
      skipping = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    // Copied: the source may reuse its chunk buffers.
    pending.push(part.slice());
    pendingBytes += part.length;
  };

  for await (const chunk of source) {
    let start = 0;
    for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, start)) {
      keep(chunk.subarray(start, index));
      yield finish();
      start = index + 1;
    }
    keep(chunk.subarray(start));
  }
  if (skipping || pendingBytes > 0) yield finish();
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
