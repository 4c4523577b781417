import { inject } from "vitest";
import { createHash } from "node:crypto";

// Runs before each test file imports anything that opens the database pool.
process.env.DATABASE_URL = inject("databaseUrl");
// A fixed keyring: test files may run in different worker processes over one shared database, and
// a secret sealed by one file must stay readable (and health "ok") in the next. Assigned, not
// defaulted: a worker process may carry another file's environment over.
process.env.CONSOLE_MASTER_KEYS = `test1:${createHash("sha256").update("provider-console integration tests").digest("base64")}`;
process.env.NEXTAUTH_SECRET ??= "integration-test-secret";
// The fake provider listens on loopback, which the egress policy refuses unless allowed; the
// egress tests delete this to prove the refusal.
process.env.EGRESS_ALLOWED_NETWORKS = "127.0.0.0/8,::1/128";
