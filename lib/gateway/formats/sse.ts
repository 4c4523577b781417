// Server-sent events both ways: an incremental parser for upstream byte streams, which arrive cut at
// arbitrary points (mid-line, mid-CRLF, mid-UTF-8 character), and a writer for what we send back.
// Follows the WHATWG event-stream rules: LF, CR or CRLF end a line, ":" starts a comment, repeated
// "data:" lines join with "\n", a blank line dispatches.

export type SseEvent = { event?: string; data: string; id?: string };

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";
  private skipLeadingLf = false;
  private sawFirstLine = false;
  private event: string | undefined;
  private id: string | undefined;
  private dataLines: string[] = [];

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  // Upstreams that close without the final blank line would otherwise lose their last event, often
  // the one carrying usage, so a pending event with data is dispatched at the end.
  end(): SseEvent[] {
    const out = this.consume(this.decoder.decode());
    if (this.buffer) this.processLine(this.buffer, out);
    this.buffer = "";
    this.dispatch(out);
    return out;
  }

  private consume(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    if (this.skipLeadingLf && text.startsWith("\n")) start = 1;
    if (text.length > 0) this.skipLeadingLf = false;
    let pending = this.buffer;
    for (let i = start; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char !== 10 && char !== 13) continue;
      this.processLine(pending + text.slice(start, i), out);
      pending = "";
      if (char === 13) {
        if (i + 1 === text.length) this.skipLeadingLf = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.buffer = pending + text.slice(start);
    return out;
  }

  private processLine(rawLine: string, out: SseEvent[]): void {
    let line = rawLine;
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line === "") return this.dispatch(out);
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.dataLines.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const event: SseEvent = { data: this.dataLines.join("\n") };
      if (this.event) event.event = this.event;
      if (this.id !== undefined) event.id = this.id;
      out.push(event);
    }
    this.dataLines = [];
    this.event = undefined;
  }
}

// Parses a whole recorded stream at once; for tests and small non-incremental callers.
export function parseSse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

export function formatSse(event: SseEvent): string {
  let out = "";
  if (event.event) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export function formatSseJson(value: unknown, eventName?: string): string {
  return formatSse({ event: eventName, data: JSON.stringify(value) });
}

export const SSE_DONE = "data: [DONE]\n\n";

// A comment line keeps idle connections (and proxies in between) from timing out.
export const SSE_KEEPALIVE = ": keep-alive\n\n";
