import "server-only";
import { fingerprint } from "@/lib/crypto/seal";

// Every encrypted column in the schema, in one place: rewrap re-seals them under the current
// master key and the health check counts the ones that no longer open. A new secret column is
// not protected by either until it is listed here.

export type EncryptedRow = { id: string; ciphertext: string; keyId: string; bindings: Record<string, string> };

export type EncryptedColumn = {
  /** A name for reports: "<table>.<column>". */
  name: string;
  table: string;
  idColumn: string;
  ciphertextColumn: string;
  keyIdColumn: string;
  /** Extra columns the associated data needs, read with each row. */
  bindingColumns: readonly string[];
  /** The associated data binding a ciphertext to its row; must match what the writer sealed with. */
  associatedData: (row: EncryptedRow) => string;
  /** A SQL condition (code, never input) selecting the rows that hold a secret, for nullable columns. */
  where?: string;
  /** Columns derived from the plaintext and the sealing key, recomputed when a row is re-sealed. */
  derivedColumns?: (plaintext: string, keyId: string) => Record<string, string>;
};

export function providerKeyAssociatedData(id: string, providerId: string): string {
  return `provider_keys:${id}:${providerId}`;
}

// Kept beside providerKeyAssociatedData so the registry and the writer cannot disagree.
export function notificationChannelAssociatedData(id: string): string {
  return `notification_channels:${id}`;
}

// An email channel's SMTP password: its own binding, so it cannot be swapped with a signing secret.
export function notificationSmtpPasswordAssociatedData(id: string): string {
  return `notification_channels:${id}:smtp_password`;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    name: "provider_keys.ciphertext",
    table: "provider_keys",
    idColumn: "id",
    ciphertextColumn: "ciphertext",
    keyIdColumn: "master_key_id",
    bindingColumns: ["provider_id"],
    associatedData: (row) => providerKeyAssociatedData(row.id, row.bindings.provider_id ?? ""),
    // The fingerprint is keyed by the row's master key, so it moves with the ciphertext.
    derivedColumns: (plaintext, keyId) => ({ fingerprint: fingerprint(plaintext, keyId) }),
  },
  {
    name: "notification_channels.secret_ciphertext",
    table: "notification_channels",
    idColumn: "id",
    ciphertextColumn: "secret_ciphertext",
    keyIdColumn: "master_key_id",
    bindingColumns: [],
    // Webhook channels only; an email channel has no signing secret.
    where: "secret_ciphertext IS NOT NULL",
    associatedData: (row) => notificationChannelAssociatedData(row.id),
  },
  {
    name: "notification_channels.smtp_password_ciphertext",
    table: "notification_channels",
    idColumn: "id",
    ciphertextColumn: "smtp_password_ciphertext",
    keyIdColumn: "smtp_password_master_key_id",
    bindingColumns: [],
    where: "smtp_password_ciphertext IS NOT NULL",
    associatedData: (row) => notificationSmtpPasswordAssociatedData(row.id),
  },
];

/** " WHERE <condition>" / " AND <condition>" for a column with a `where`, else "". */
export function rowFilter(column: EncryptedColumn, joiner: "WHERE" | "AND"): string {
  return column.where ? ` ${joiner} (${column.where})` : "";
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quotes a registry identifier; the registry is code, but a typo must not become SQL. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain identifier: ${name}`);
  return `"${name}"`;
}

/** SELECT list that reads one registry column's rows as EncryptedRow fields. */
export function selectList(column: EncryptedColumn): string {
  const bindings = column.bindingColumns.map(
    (name) => `${quoteIdentifier(name)}::text AS ${quoteIdentifier(`b_${name}`)}`,
  );
  return [
    `${quoteIdentifier(column.idColumn)}::text AS id`,
    `${quoteIdentifier(column.ciphertextColumn)} AS ciphertext`,
    `${quoteIdentifier(column.keyIdColumn)} AS key_id`,
    ...bindings,
  ].join(", ");
}

export function toEncryptedRow(column: EncryptedColumn, raw: Record<string, unknown>): EncryptedRow {
  const bindings: Record<string, string> = {};
  for (const name of column.bindingColumns) bindings[name] = String(raw[`b_${name}`] ?? "");
  return { id: String(raw.id), ciphertext: String(raw.ciphertext), keyId: String(raw.key_id), bindings };
}
