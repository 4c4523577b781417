// The console server's V8 old-space limit. Without one, V8 sizes the heap from the machine's
// memory (gigabytes here) and lets it grow lazily under load: 20 busy sessions took one instance
// past 500 MB RSS with no leak behind it. A cap keeps an instance's memory predictable for a
// container limit, at the cost of more frequent collections. NODE_OPTIONS with its own
// --max-old-space-size wins.
export const DEFAULT_MAX_OLD_SPACE_MB = 256;

export function serverNodeOptions(env: Partial<NodeJS.ProcessEnv> = process.env): string {
  const current = env.NODE_OPTIONS ?? "";
  if (current.includes("--max-old-space-size")) return current;
  return `${current} --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`.trim();
}
