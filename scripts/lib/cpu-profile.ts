import fs from "node:fs";
import path from "node:path";

// Where a process's CPU time went, from the .cpuprofile V8 writes at exit (node --cpu-prof):
// self time per function (file:line), largest first.

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export function topSelfTime(dir: string, pid: number, limit: number): { fn: string; ms: number; share: number }[] {
  // One profile per thread (tsx's loader has its own): the main thread's is the largest.
  const file = fs
    .readdirSync(dir)
    .filter((name) => name.includes(`.${pid}.`) && name.endsWith(".cpuprofile"))
    .sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size)[0];
  if (!file) return [];
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Profile;
  const labelOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "")}:${lineNumber + 1}` : "";
    labelOf.set(node.id, `${functionName || "(anonymous)"} ${where}`.trim());
  }
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const label = labelOf.get(id) ?? "?";
    micros.set(label, (micros.get(label) ?? 0) + delta);
    total += delta;
  });
  return [...micros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
}
