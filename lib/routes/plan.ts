import type { RouteGroup, RouteStrategyName } from "@/lib/routes/schemas";

// The order a route tries its targets in, for one request: fallback keeps the given order; load
// balance draws targets by weight without replacement (so a failed one is never drawn twice and
// every target is a fallback for the others); fallback of groups keeps the groups' order and
// draws by weight inside each. Pure and seeded by `random` so the tests can pin it.

export function weightedOrder<T extends { weight: number }>(items: readonly T[], random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, item) => sum + item.weight, 0);
    let pick = random() * total;
    let index = 0;
    for (; index < pool.length - 1; index += 1) {
      pick -= pool[index]!.weight;
      if (pick < 0) break;
    }
    out.push(pool.splice(index, 1)[0]!);
  }
  return out;
}

export function planTargets<T extends { weight: number }>(
  strategy: RouteStrategyName,
  groups: readonly { targets: readonly T[] }[],
  random: () => number = Math.random,
): T[] {
  if (strategy === "FALLBACK") return [...(groups[0]?.targets ?? [])];
  if (strategy === "LOAD_BALANCE") return weightedOrder(groups[0]?.targets ?? [], random);
  return groups.flatMap((group) => weightedOrder(group.targets, random));
}

export type { RouteGroup };
