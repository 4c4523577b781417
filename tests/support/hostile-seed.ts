// npm test must be reproducible: the property tests use a fixed seed unless HOSTILE_SEED says
// otherwise (a number to replay a failure, or "random" to explore new inputs).
export function hostileSeed(): number | undefined {
  const raw = process.env.HOSTILE_SEED ?? "20261126";
  return raw === "random" ? undefined : Number(raw);
}
