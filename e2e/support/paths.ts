import os from "node:os";
import path from "node:path";

// Per-port scratch folder shared by the e2e server and the specs: several runs (on different
// E2E_PORTs) can go on at once, and Playwright wipes its own output folder at start.
export function e2eScratchDir(port = process.env.E2E_PORT ?? "3100"): string {
  return path.join(os.tmpdir(), "provider-console-e2e", port);
}
