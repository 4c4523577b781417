// A console of its own for tests that must not share the suite's database (the overview sums the
// whole month; hostile calls that happen to be valid may start runs or delete usage): a fresh
// database, `seed` run on it, `next start` against it, and one user of `role` signed in.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { RoleName } from "@/lib/auth/roles";
import { hashPassword } from "@/lib/auth/password";
import { createTestDatabase } from "../support/test-database";
import { cookieHeader, signIn, startConsole } from "./faults-support";

export type IsolatedConsole = {
  url: string;
  prisma: PrismaClient;
  cookie: string;
  log: () => string;
  alive: () => boolean;
  stop: () => Promise<void>;
};

export async function startIsolatedConsole(
  prefix: string,
  role: RoleName,
  seed?: (prisma: PrismaClient) => Promise<void>,
): Promise<IsolatedConsole> {
  const database = await createTestDatabase(prefix);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  await seed?.(prisma);
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `isolated-${randomUUID()}`;
  await prisma.user.create({ data: { email, name: role, role, passwordHash: await hashPassword(password) } });
  const server = await startConsole(database.url);
  const session = await signIn(server.url, email, password);
  if (!session.signedIn) throw new Error(`could not sign in ${email} on ${server.url}`);
  return {
    url: server.url,
    prisma,
    cookie: cookieHeader(session.jar),
    log: server.log,
    alive: server.alive,
    stop: async () => {
      await server.stop();
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
