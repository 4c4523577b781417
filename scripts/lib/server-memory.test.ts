import { describe, expect, test } from "vitest";
import { DEFAULT_MAX_OLD_SPACE_MB, serverNodeOptions } from "./server-memory";

describe("serverNodeOptions", () => {
  test("adds the heap cap when NODE_OPTIONS has none, keeping what is there", () => {
    expect(serverNodeOptions({})).toBe(`--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`);
    expect(serverNodeOptions({ NODE_OPTIONS: "--enable-source-maps" })).toBe(
      `--enable-source-maps --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`,
    );
  });

  test("an operator's own cap wins", () => {
    expect(serverNodeOptions({ NODE_OPTIONS: "--max-old-space-size=1024" })).toBe("--max-old-space-size=1024");
  });
});
