// Every ActionSpec the app can run, found by walking lib/ rather than by a hand-kept list, so a
// new spec cannot escape the hostile-input and access-matrix tests.
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { ActionSpec } from "@/lib/actions/define-action";

export type AnySpec = ActionSpec<z.ZodType, unknown>;

const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, match: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "generated" || entry.name === "node_modules" ? [] : walk(full, match);
    return match(full) ? [full] : [];
  });
}

export function isActionSpec(value: unknown): value is AnySpec {
  if (!value || typeof value !== "object") return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.name === "string" &&
    typeof candidate.capability === "string" &&
    typeof candidate.handler === "function" &&
    !!candidate.schema &&
    typeof (candidate.schema as { safeParse?: unknown }).safeParse === "function"
  );
}

export type Inventory = {
  /** Every distinct spec object, listed or exported on its own. */
  specs: AnySpec[];
  /** Exported spec name (e.g. createProviderSpec) → spec, across every module that exports specs. */
  byExportName: Map<string, AnySpec>;
  /** Spec objects that appear in at least one exported list. */
  listed: Set<AnySpec>;
  modules: string[];
};

/** Imports every lib module that mentions ActionSpec and collects the specs it exports. */
export async function loadInventory(): Promise<Inventory> {
  const files = walk(
    path.join(ROOT, "lib"),
    (file) =>
      file.endsWith(".ts") &&
      !file.endsWith(".test.ts") &&
      (/-specs?\.ts$/.test(file) || fs.readFileSync(file, "utf8").includes("ActionSpec<")),
  ).filter((file) => !file.endsWith(path.join("actions", "define-action.ts")));
  const specs = new Set<AnySpec>();
  const listed = new Set<AnySpec>();
  const byExportName = new Map<string, AnySpec>();
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (isActionSpec(value)) {
        specs.add(value);
        byExportName.set(exportName, value);
      } else if (Array.isArray(value) && value.length > 0 && value.every(isActionSpec)) {
        for (const spec of value) {
          specs.add(spec);
          listed.add(spec);
        }
      }
    }
  }
  return {
    specs: [...specs].sort((a, b) => a.name.localeCompare(b.name)),
    byExportName,
    listed,
    modules: files.map((file) => path.relative(ROOT, file)),
  };
}

/** `defineAction(<identifier>)` calls in app/**\/actions.ts, with the file they are in. */
export function actionFileBindings(): { file: string; specName: string }[] {
  const files = walk(path.join(ROOT, "app"), (file) => /actions\.tsx?$/.test(file));
  return files.flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/defineAction\(\s*([A-Za-z0-9_$]+)\s*\)/g)].map((match) => ({
      file: path.relative(ROOT, file),
      specName: match[1]!,
    })),
  );
}

/** Route handler modules under app/api, relative to the project root. */
export function routeFiles(): string[] {
  return walk(path.join(ROOT, "app", "api"), (file) => file.endsWith("route.ts"))
    .map((file) => path.relative(ROOT, file))
    .sort();
}

export const projectPath = (relative: string) => path.join(ROOT, relative);
