// Text normalisation shared by exact match and contains: each option is off unless asked for, so
// "exact" means exact by default.

export type NormaliseOptions = {
  ignoreCase?: boolean;
  /** Trim and collapse runs of whitespace to one space. */
  ignoreWhitespace?: boolean;
  /** Drop Unicode punctuation and symbols (. , ! ? " ' etc.). */
  ignorePunctuation?: boolean;
};

const PUNCTUATION = /[\p{P}\p{S}]/gu;

export function normalise(text: string, options: NormaliseOptions): string {
  let out = text.normalize("NFC");
  if (options.ignorePunctuation) out = out.replace(PUNCTUATION, "");
  if (options.ignoreWhitespace) out = out.replace(/\s+/g, " ").trim();
  if (options.ignoreCase) out = out.toLocaleLowerCase("en");
  return out;
}
