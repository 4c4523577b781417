import "server-only";
import { headers } from "next/headers";
import type { PublicActionSpec } from "@/lib/actions/define-action";
import { SETUP_RULE, blockedFor, countAttempt } from "@/lib/auth/rate-limit";
import { clientAddress, limitBucket } from "@/lib/request/forwarding";
import { createFirstAdmin } from "@/lib/users/create-first-admin";
import { countUsers } from "@/lib/users/queries";
import { setupSchema } from "@/lib/users/schemas";

export const SETUP_DONE = "Setup is already complete. Sign in instead.";

async function requestAddress(): Promise<string> {
  try {
    return clientAddress(await headers());
  } catch {
    return "local"; // outside a Next request (integration tests)
  }
}

/**
 * First-run setup on the public-action pipeline. Anyone can post it, so before anything costly
 * (zod, then an Argon2 hash): is setup still open (one count), and has this address posted too
 * often (counted in PostgreSQL, shared by every instance)?
 */
export function setupSpec(address?: string): PublicActionSpec<typeof setupSchema, undefined> {
  return {
    name: "setup.createFirstAdmin",
    schema: setupSchema,
    secretFields: ["password", "confirmPassword"],
    admit: async () => {
      if ((await countUsers()) > 0) return SETUP_DONE;
      const key = `setup:ip:${limitBucket(address ?? (await requestAddress()))}`;
      const wait = await blockedFor(key);
      const attempt = wait > 0 ? null : await countAttempt(key, SETUP_RULE);
      if (!attempt || attempt.count > SETUP_RULE.limit)
        return `Too many attempts, try again in ${wait || attempt?.blockedSeconds || SETUP_RULE.blockSeconds} s.`;
      return null;
    },
    handler: (input) => createFirstAdmin(input),
  };
}
