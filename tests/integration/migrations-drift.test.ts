import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, test } from "vitest";
import { compareFacts, schemaDrift } from "../../scripts/lib/schema-drift";

// The committed migrations must build exactly what prisma/schema.prisma describes (plus the checks
// and partial indexes only SQL can say): one scratch database from `migrate deploy`, one from the
// schema alone, their catalogs compared. No copy of the schema is kept beside each migration.

const MIGRATIONS = path.join("prisma", "migrations");
const adminUrl = () => {
  const url = new URL(inject("databaseUrl"));
  url.pathname = "/postgres";
  return url.toString();
};

describe("prisma/migrations", () => {
  test("build the database schema.prisma describes", async () => {
    expect(await schemaDrift(adminUrl())).toEqual([]);
  }, 240_000);

  test("the check sees a column, type, default, index or foreign key that only one side has", () => {
    const modelled = new Set([
      "column users.email text NOT NULL",
      "index users_email_key CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)",
    ]);
    expect(compareFacts(new Set(modelled), modelled)).toEqual([]);
    const migrated = new Set([
      "column users.email character varying(100) NOT NULL",
      "check users.users_email_lower CHECK ((email = lower(email)))",
    ]);
    expect(compareFacts(migrated, modelled)).toEqual([
      "only in schema.prisma: column users.email text NOT NULL",
      "only in schema.prisma: index users_email_key CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)",
      "only in the migrations: column users.email character varying(100) NOT NULL",
    ]);
  });

  test("each migration is its SQL only: no committed schema copies", () => {
    // What is committed (a copy an old checkout left behind is git-ignored); the folder itself outside git.
    const listed = spawnSync("git", ["ls-files", "--", MIGRATIONS], { encoding: "utf8" });
    const files =
      listed.status === 0
        ? listed.stdout.split("\n").filter(Boolean)
        : fs.readdirSync(MIGRATIONS, { recursive: true, encoding: "utf8" }).map((file) => path.join(MIGRATIONS, file));
    const inFolders = files.map((file) => path.relative(MIGRATIONS, file)).filter((file) => file.includes(path.sep));
    expect(inFolders.length).toBeGreaterThan(0);
    for (const file of inFolders) expect(path.basename(file), file).toBe("migration.sql");
  });
});
