import { describe, expect, test } from "vitest";
import { readNdjson } from "@/components/playground/read-ndjson";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe("readNdjson", () => {
  test("joins lines split across chunks and keeps a last line without a newline", async () => {
    const events: unknown[] = [];
    await readNdjson(streamOf(['{"a":', '1}\n{"b":2}\n\n{"c"', ":3}"]), (event) => events.push(event));
    expect(events).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  test("multi-byte characters split across chunks survive", async () => {
    const bytes = new TextEncoder().encode('{"text":"héllo ✓"}\n');
    const events: unknown[] = [];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 11));
        controller.enqueue(bytes.slice(11));
        controller.close();
      },
    });
    await readNdjson(stream, (event) => events.push(event));
    expect(events).toEqual([{ text: "héllo ✓" }]);
  });
});
