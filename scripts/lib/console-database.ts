// The helper scripts' way to the console's own database, with no environment needed: DATABASE_URL
// when set, else the embedded PostgreSQL under .data/ (the running one of `npm start`, or one
// started for the script and stopped when it is done), plus the secrets generated beside it.
import { resolveDatabase } from "./database";
import { migrate } from "./migrate";
import { ensureSecrets } from "./secrets";

export type ConsoleDatabase = { url: string; embedded: boolean; close: () => Promise<void> };

/**
 * Points DATABASE_URL (and, with the embedded database, CONSOLE_MASTER_KEYS and NEXTAUTH_SECRET)
 * at the console's, before lib/db/client opens its pool on first use. `needsKeyring`: the script
 * opens or seals stored secrets, so with an external database CONSOLE_MASTER_KEYS must be set.
 */
export async function openConsoleDatabase(
  command: string,
  options: { needsKeyring?: boolean } = {},
): Promise<ConsoleDatabase> {
  const log = (line: string) => process.stderr.write(`[${command}] ${line}\n`);
  const database = await resolveDatabase(log, { owner: "script", command: `npm run ${command}` });
  try {
    // A server this script started has not been through `npm start`'s migrations yet.
    if (database.started) {
      const applied = migrate(database.url);
      if (applied > 0) log(`Applied ${applied} migration(s).`);
    }
    process.env.DATABASE_URL = database.url;
    if (database.embedded || options.needsKeyring) Object.assign(process.env, ensureSecrets(database.embedded, log));
    database.ready();
  } catch (error) {
    await database.stop().catch(() => undefined);
    throw error;
  }
  return {
    url: database.url,
    embedded: database.embedded,
    close: async () => {
      if (!database.started) return;
      await database.stop();
      log("Stopped the embedded PostgreSQL started for this command.");
    },
  };
}
