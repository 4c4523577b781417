// Secrets the server needs before it boots: the session-signing secret and the master keyring.
// With the embedded database they are generated once into .data/ (mode 0600) so a first run needs
// no setup; with an external database the keyring must be configured explicitly, because a key
// file on one machine would make the shared database unreadable from any other.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { DATA_DIR } from "./database";
import { generateMasterKeyEntry, parseKeyring, KeyringError } from "../../lib/crypto/keyring";

// How a data-dir path is shown: relative when it is inside the working directory (the default .data).
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

function readOrCreate(file: string, create: () => string, log: (line: string) => void, announce: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o711 });
  const value = create();
  // Written completely under a temporary name, then linked into place only if no other process
  // (`npm start` and a script at once) got there first: two different keyrings must never exist.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${value}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return fs.readFileSync(file, "utf8").trim();
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  log(announce);
  return value;
}

export function ensureSecrets(
  embedded: boolean,
  log: (line: string) => void,
): { NEXTAUTH_SECRET: string; CONSOLE_MASTER_KEYS: string } {
  const authSecret =
    process.env.NEXTAUTH_SECRET ??
    readOrCreate(
      path.join(DATA_DIR, "auth-secret"),
      () => randomBytes(32).toString("base64url"),
      log,
      `Generated a session secret in ${shownPath(path.join(DATA_DIR, "auth-secret"))}. Set NEXTAUTH_SECRET (the same on every instance) to use your own.`,
    );

  let keyring = process.env.CONSOLE_MASTER_KEYS;
  if (!keyring) {
    if (!embedded) {
      throw new KeyringError(
        "CONSOLE_MASTER_KEYS is not set. With an external DATABASE_URL the console needs a master keyring: " +
          'set CONSOLE_MASTER_KEYS="k1:$(openssl rand -base64 32)" and keep it safe; without it stored provider keys cannot be read.',
      );
    }
    keyring = readOrCreate(
      path.join(DATA_DIR, "master-keys"),
      () => generateMasterKeyEntry(),
      log,
      `Generated a master key in ${shownPath(path.join(DATA_DIR, "master-keys"))} (mode 0600); provider keys are encrypted with it. Back it up with the database.`,
    );
  }
  parseKeyring(keyring);
  return { NEXTAUTH_SECRET: authSecret, CONSOLE_MASTER_KEYS: keyring };
}
