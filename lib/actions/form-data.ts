// Turns FormData into a plain object for zod. Fields named `x[]` collect every value; other
// repeated fields keep the last one. File inputs are ignored: no action accepts uploads.
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [rawName, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    if (rawName.startsWith("$ACTION")) continue;
    if (rawName.endsWith("[]")) {
      const name = rawName.slice(0, -2);
      const list = (out[name] as string[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else {
      out[rawName] = value;
    }
  }
  return { ...out };
}
