// Gemini 3 refuses a function-calling history whose functionCall parts lost the thoughtSignature
// they came with (400 "Function call is missing a thought_signature"). OpenAI's message shape has
// no place for it, but every client echoes tool call ids unchanged, so the signature rides in the id.

const SEPARATOR = "~ts~";

// Google's documented stand-in for histories Gemini did not produce (another model's tool calls,
// or a client that rebuilt the ids): it tells the validator to skip the check.
export const SKIP_SIGNATURE_CHECK = "skip_thought_signature_validator";

export function withSignature(id: string, signature: unknown): string {
  return typeof signature === "string" && signature ? `${id}${SEPARATOR}${signature}` : id;
}

export function signatureOf(id: string): string | undefined {
  const at = id.indexOf(SEPARATOR);
  return at === -1 ? undefined : id.slice(at + SEPARATOR.length) || undefined;
}
