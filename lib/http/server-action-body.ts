// A guard the proxy runs on POSTs to pages (server-action calls, and forms posted without
// JavaScript, which Next also decodes as actions) before Next decodes them. Next answers a body it
// cannot decode (malformed JSON or multipart, references to chunks that are not there, deep
// nesting, more than the 1 MB limit) by throwing inside its action handler: a 500 with an error
// digest. Hostile input must get a 4xx instead, so the body is checked here first.
//
// What our clients send (React's encodeReply): either a JSON array as text/plain, or multipart
// with that JSON in field "0" and FormData entries under "<id>_<name>". Inside the JSON, strings
// starting with "$" are encodings; our actions only ever receive FormData ($K), undefined, dates,
// bigints, special numbers and escaped dollars. Every other "$" form points at another chunk
// (promises, maps, sets, streams, server references, typed arrays), which is what crashes the
// decoder when the chunk is missing, and which no action of ours accepts anyway.

export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024; // Next's default serverActions.bodySizeLimit ("1mb")
const MAX_DEPTH = 32;
const SPECIAL = new Set(["$undefined", "$NaN", "$Infinity", "$-Infinity", "$-0"]);
const ALLOWED_PREFIX = /^\$(?:\$|D|n-?\d+$|K[0-9a-f]*$)/;
// The client's field prefix ("_" in this Next version), a chunk id, then "_<entry name>" for FormData.
const FIELD_NAME = /^_?[0-9a-f]+(?:_[\s\S]*)?$/;
const PROMISE_REF = /^\$@([0-9a-f]+)$/;

export type BodyVerdict = { ok: true } | { ok: false; status: 400 | 413; message: string };

const OK: BodyVerdict = { ok: true };
const TOO_LARGE: BodyVerdict = { ok: false, status: 413, message: "The request body is larger than 1 MB." };
const declaredTooLarge = (request: Request) =>
  Number(request.headers.get("content-length") ?? "0") > SERVER_ACTION_BODY_LIMIT;
const invalid = (message: string): BodyVerdict => ({ ok: false, status: 400, message });

type RefCheck = (id: string) => boolean;

function checkValue(value: unknown, depth: number, allowRef: RefCheck): string | null {
  if (depth > MAX_DEPTH) return "nested too deeply";
  if (typeof value === "string") {
    if (!value.startsWith("$") || SPECIAL.has(value) || ALLOWED_PREFIX.test(value)) return null;
    const ref = PROMISE_REF.exec(value);
    return ref && allowRef(ref[1]!) ? null : "an unsupported reference";
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = checkValue(item, depth + 1, allowRef);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) {
      const problem = checkValue(item, depth + 1, allowRef);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * The action's encoded arguments: a JSON array whose encodings are ones our actions accept (or,
 * for a form posted without JavaScript, the bound action's `{ id, bound }` object).
 */
export function checkReplyJson(
  text: string,
  shape: "array" | "object" = "array",
  allowRef: RefCheck = () => false,
): BodyVerdict {
  let parsed: unknown;
  try {
    // Deep nesting could overflow JSON.parse itself; a cheap pre-scan bounds it first.
    let depth = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 91 || c === 123) depth += 1;
      else if (c === 93 || c === 125) depth -= 1;
      // Brackets inside strings count too: harmless, it only makes the bound stricter.
      if (depth > MAX_DEPTH * 4) return invalid("The request is nested too deeply.");
    }
    parsed = JSON.parse(text);
  } catch {
    return invalid("The request body is not valid JSON.");
  }
  if (shape === "array" ? !Array.isArray(parsed) : !parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return invalid("The request body is not an argument list.");
  }
  const problem = checkValue(parsed, 0, allowRef);
  return problem ? invalid(`The request contains ${problem}.`) : OK;
}

async function readForm(request: Request): Promise<FormData | BodyVerdict> {
  try {
    const form = await request.formData();
    let size = 0;
    for (const [name, value] of form.entries())
      size += name.length + (typeof value === "string" ? value.length : value.size);
    return size > SERVER_ACTION_BODY_LIMIT ? TOO_LARGE : form;
  } catch {
    return invalid("The form data could not be read.");
  }
}

/**
 * A POST to a page without the Next-Action header: Next reads a form body as a form submitted
 * without JavaScript ($ACTION_ID_… or $ACTION_REF_… fields with the bound action's metadata in
 * $ACTION_<n>:0). Any other body it ignores.
 */
export async function checkPagePost(request: Request): Promise<BodyVerdict> {
  if (declaredTooLarge(request)) return TOO_LARGE;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data") && !type.startsWith("application/x-www-form-urlencoded")) return OK;
  const form = await readForm(request);
  if (!(form instanceof FormData)) return form;
  for (const name of form.keys()) {
    if (!name.startsWith("$ACTION_REF_")) continue;
    // The metadata { id, bound } sits in $ACTION_<n>:0; "bound" may point at $ACTION_<n>:<id>.
    const prefix = `$ACTION_${name.slice("$ACTION_REF_".length)}:`;
    const metadata = form.get(`${prefix}0`);
    if (typeof metadata !== "string") return invalid("The form's action reference is incomplete.");
    const boundArgs = (id: string) => {
      const chunk = form.get(`${prefix}${id}`);
      return id !== "0" && typeof chunk === "string" && checkReplyJson(chunk).ok;
    };
    const verdict = checkReplyJson(metadata, "object", boundArgs);
    if (!verdict.ok) return verdict;
  }
  return OK;
}

/** Checks a server-action POST (the proxy calls this only when a Next-Action header is present). */
export async function checkServerActionRequest(request: Request): Promise<BodyVerdict> {
  if (declaredTooLarge(request)) return TOO_LARGE;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await readForm(request);
    if (!(form instanceof FormData)) return form;
    // encodeReply names fields "<chunk id>" or "<chunk id>_<FormData entry name>", nothing else.
    for (const name of form.keys())
      if (!FIELD_NAME.test(name)) return invalid("The form data has an unexpected field.");
    // With the Next-Action header (a call from the page's JavaScript) Next decodes field "0" as
    // the argument list; a form posted without JavaScript carries no such header.
    const args = form.get("0");
    return typeof args === "string" ? checkReplyJson(args) : invalid("The request carries no argument list.");
  }
  if (type.startsWith("application/x-www-form-urlencoded")) return OK; // Next does not decode these as actions
  const text = await request.text();
  if (text.length > SERVER_ACTION_BODY_LIMIT) return TOO_LARGE;
  return checkReplyJson(text);
}
