import { describe, expect, it } from "vitest";
import { validateTrainingStream } from "@/lib/fine-tuning/validate";

// A 100 MB training file, generated as it is read (never held whole), validated in bounded memory:
// the heap after reading all of it is within a few MB of the heap after the first megabytes.
const TARGET_BYTES = 100 * 1024 * 1024;

describe("validateTrainingStream on a 100 MB file", () => {
  it("streams line by line: memory does not grow with the file", { timeout: 240_000 }, async () => {
    const encoder = new TextEncoder();
    let produced = 0;
    let heapEarly = 0;
    let heapPeak = 0;
    async function* generate(): AsyncGenerator<Uint8Array> {
      let n = 0;
      while (produced < TARGET_BYTES) {
        const lines: string[] = [];
        for (let i = 0; i < 500; i += 1, n += 1) {
          lines.push(
            JSON.stringify({
              messages: [
                { role: "user", content: `Question ${n % 97}: what comes after ${n % 89}?` },
                { role: "assistant", content: `The answer is ${(n % 89) + 1}.` },
              ],
            }),
          );
        }
        const chunk = encoder.encode(`${lines.join("\n")}\n`);
        produced += chunk.length;
        if (produced > 8 * 1024 * 1024 && heapEarly === 0) {
          global.gc?.();
          heapEarly = process.memoryUsage().heapUsed;
        }
        if (heapEarly) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        yield chunk;
      }
    }
    const report = await validateTrainingStream(generate(), { maxBytes: 200 * 1024 * 1024 });
    expect(report.ok).toBe(true);
    expect(report.bytes).toBe(produced);
    expect(report.bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
    // Holding the file would add 100 MB (200 MB as a JS string); garbage between collections
    // stays far below that.
    expect(heapPeak - heapEarly).toBeLessThan(48 * 1024 * 1024);
  });
});
