import { inject } from "vitest";
import { generateMasterKeyEntry } from "@/lib/crypto/keyring";

// Runs before each test file imports anything that opens the database pool.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.CONSOLE_MASTER_KEYS ??= generateMasterKeyEntry("test1");
process.env.NEXTAUTH_SECRET ??= "integration-test-secret";
