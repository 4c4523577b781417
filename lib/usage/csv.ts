// CSV cells for exports opened in spreadsheets. A cell starting with = + - @ (or tab/CR) would be
// run as a formula by Excel/Sheets (CSV injection): such text cells get a leading apostrophe.
// Numbers we produce ourselves (e.g. "-0.50") are passed as numeric and left alone.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined, kind: "text" | "number" = "text"): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (kind === "text" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: string[]): string {
  return `${cells.join(",")}\r\n`;
}
