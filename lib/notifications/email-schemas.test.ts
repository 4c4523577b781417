import { afterEach, expect, test } from "vitest";
import { createEmailChannelSchema, recipientsSchema } from "@/lib/notifications/schemas";
import { smtpHostRefusal } from "@/lib/notifications/send-email";

const saved = process.env.EGRESS_ALLOWED_NETWORKS;
afterEach(() => {
  if (saved === undefined) delete process.env.EGRESS_ALLOWED_NETWORKS;
  else process.env.EGRESS_ALLOWED_NETWORKS = saved;
});

test("recipients: a text field or a list, lower-cased, deduplicated, at most 50", () => {
  expect(recipientsSchema.parse("Ada@Example.com, bob@example.com\nada@example.com;  carol@example.com ")).toEqual([
    "ada@example.com",
    "bob@example.com",
    "carol@example.com",
  ]);
  expect(recipientsSchema.parse(["x@example.com"])).toEqual(["x@example.com"]);
  expect(recipientsSchema.parse(undefined)).toEqual([]);
  expect(recipientsSchema.parse("")).toEqual([]);
  const bad = recipientsSchema.safeParse("ok@example.com, nope");
  expect(bad.success).toBe(false);
  expect(bad.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
    [[], "Address 2 is not a valid email address."],
  ]);
  const many = Array.from({ length: 51 }, (_, index) => `u${index}@example.com`).join(",");
  expect(recipientsSchema.safeParse(many).success).toBe(false);
  // A header-injection attempt is not an address.
  expect(recipientsSchema.safeParse(["a@example.com\r\nBcc: b@example.com"]).success).toBe(false);
});

test("an email channel: port range, TLS modes, From address, credentials both or neither", () => {
  const base = { name: "mail", smtpHost: "smtp.example.com", smtpPort: "587", fromAddress: "c@example.com" };
  expect(createEmailChannelSchema.parse(base)).toEqual({
    name: "mail",
    smtpHost: "smtp.example.com",
    smtpPort: 587,
    smtpTls: "STARTTLS",
    smtpUsername: null,
    smtpPassword: null,
    fromAddress: "c@example.com",
    selfSubscribe: false,
  });
  for (const smtpPort of ["0", "65536", "25.5", "x"])
    expect(createEmailChannelSchema.safeParse({ ...base, smtpPort }).success, smtpPort).toBe(false);
  expect(createEmailChannelSchema.safeParse({ ...base, smtpTls: "SSL" }).success).toBe(false);
  expect(createEmailChannelSchema.safeParse({ ...base, smtpHost: "smtp.example.com\r\nRCPT" }).success).toBe(false);
  expect(createEmailChannelSchema.safeParse({ ...base, smtpUsername: "u" }).success).toBe(false);
  expect(
    createEmailChannelSchema.safeParse({ ...base, smtpUsername: "u", smtpPassword: " p " }).data?.smtpPassword,
  ).toBe(" p ");
});

test("SMTP hosts: the webhook host policy, and plain text only to an allowed network", () => {
  delete process.env.EGRESS_ALLOWED_NETWORKS;
  expect(smtpHostRefusal("smtp.example.com", "STARTTLS")).toBeNull();
  expect(smtpHostRefusal("203.0.113.5", "IMPLICIT")).toBeNull();
  expect(smtpHostRefusal("203.0.113.5", "NONE")).toMatch(/EGRESS_ALLOWED_NETWORKS/);
  expect(smtpHostRefusal("169.254.169.254", "STARTTLS")).toMatch(/Link-local/);
  expect(smtpHostRefusal("metadata.google.internal", "STARTTLS")).toMatch(/metadata/);
  expect(smtpHostRefusal("127.0.0.1", "STARTTLS")).toMatch(/loopback/);
  expect(smtpHostRefusal("10.0.0.5", "NONE")).toMatch(/private/);
  process.env.EGRESS_ALLOWED_NETWORKS = "10.0.0.0/8";
  expect(smtpHostRefusal("10.0.0.5", "NONE")).toBeNull();
  expect(smtpHostRefusal("[fe80::1]", "STARTTLS")).toMatch(/Link-local/);
});
