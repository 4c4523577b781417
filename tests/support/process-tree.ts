import fs from "node:fs";

// A process started through tsx's CLI is two processes: the tsx wrapper relays signals to the
// node process that runs the script. SIGKILL cannot be relayed (the wrapper dies, the script
// lives on, orphaned), so a crash test kills the script's own process, and CPU and memory are read
// from it too.

function children(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process that runs the script: the deepest descendant along first children. */
export function scriptPid(pid: number): number {
  let current = pid;
  for (let kids = children(current); kids.length > 0; kids = children(current)) current = kids[0]!;
  return current;
}

/** User + system CPU seconds of one process so far (Linux /proc; 10 ms resolution), or null. */
export function cpuSeconds(pid: number): number | null {
  try {
    // After "(comm) ": utime and stime are fields 14 and 15 of stat, 12 and 13 of the rest.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Resident memory now (VmRSS) and at its peak (VmHWM), in MB, or null when unreadable. */
export function memoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return null;
  }
}

/** A process and all its descendants (a gateway with GATEWAY_WORKERS forks its workers). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let index = 0; index < all.length; index += 1) all.push(...children(all[index]!));
  return all;
}

/** CPU seconds of a process and its descendants, or null when the process is unreadable. */
export function treeCpuSeconds(pid: number): number | null {
  const own = cpuSeconds(pid);
  if (own === null) return null;
  return processTree(pid)
    .slice(1)
    .reduce((sum, child) => sum + (cpuSeconds(child) ?? 0), own);
}

/** Resident memory of a process and its descendants, summed (peak: the sum of each one's peak). */
export function treeMemoryMb(pid: number): { rss: number; peak: number } | null {
  const own = memoryMb(pid);
  if (!own) return null;
  for (const child of processTree(pid).slice(1)) {
    const used = memoryMb(child);
    if (used) {
      own.rss += used.rss;
      own.peak += used.peak;
    }
  }
  return own;
}
