import { redact } from "@/lib/log/redact";
import { currentRequestId } from "@/lib/log/request-context";

type Level = "debug" | "info" | "warn" | "error";

// JSON lines on stdout/stderr: one object per event, always passed through redact().
function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (level === "debug" && process.env.LOG_LEVEL !== "debug") return;
  const requestId = currentRequestId();
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    message,
    ...(requestId ? { requestId } : {}),
    ...(redact(fields) as object),
  });
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
