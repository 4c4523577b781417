// Reads a request body up to a byte cap. Content-Length is checked first (cheap refusal), then the
// stream is counted as it arrives, because a chunked body has no Content-Length and a client can lie.

export type BodyRead = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/** `tooLargeHint` ends the 413 message with what the client should do, e.g. "send fewer records per request". */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
  tooLargeHint = "send a smaller one",
): Promise<BodyRead> {
  const tooLarge = {
    ok: false,
    status: 413,
    message: `The body is larger than ${maxBytes} bytes: ${tooLargeHint}.`,
  } as const;
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  if (!request.body) return { ok: false, status: 400, message: "Send a JSON body." };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: "The body is not valid JSON." };
  }
}
