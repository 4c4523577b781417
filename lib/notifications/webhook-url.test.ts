import { afterEach, expect, test } from "vitest";
import { webhookUrlRefusal } from "@/lib/notifications/webhook-url";

const saved = process.env.EGRESS_ALLOWED_NETWORKS;
afterEach(() => {
  if (saved === undefined) delete process.env.EGRESS_ALLOWED_NETWORKS;
  else process.env.EGRESS_ALLOWED_NETWORKS = saved;
});

test("public https and http URLs are accepted", () => {
  delete process.env.EGRESS_ALLOWED_NETWORKS;
  expect(webhookUrlRefusal("https://hooks.example.com/console")).toBeNull();
  expect(webhookUrlRefusal("http://203.0.113.7:8080/in")).toBeNull();
});

test("metadata, link-local, loopback and private addresses are refused by default", () => {
  delete process.env.EGRESS_ALLOWED_NETWORKS;
  for (const url of [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/x",
    "http://[::ffff:169.254.169.254]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://127.0.0.1:9000/hook",
    "http://localhost:9000/hook",
    "http://[::1]/hook",
    "http://10.1.2.3/hook",
    "http://[fd00:ec2::254]/",
  ]) {
    expect(webhookUrlRefusal(url), url).not.toBeNull();
  }
});

test("loopback only when EGRESS_ALLOWED_NETWORKS allows it; link-local never", () => {
  process.env.EGRESS_ALLOWED_NETWORKS = "127.0.0.0/8,169.254.0.0/16";
  expect(webhookUrlRefusal("http://127.0.0.1:9000/hook")).toBeNull();
  expect(webhookUrlRefusal("http://169.254.169.254/")).toMatch(/Link-local/);
});

test("the console's own origin, other schemes and credentials in the URL are refused", () => {
  const env = { NEXTAUTH_URL: "https://console.example.com" } as NodeJS.ProcessEnv;
  expect(webhookUrlRefusal("https://console.example.com/api/anything", env)).toMatch(/console itself/);
  expect(webhookUrlRefusal("https://console.example.com:8443/", env)).toBeNull();
  expect(webhookUrlRefusal("ftp://hooks.example.com/", env)).not.toBeNull();
  expect(webhookUrlRefusal("https://user:pw@hooks.example.com/", env)).not.toBeNull();
  expect(webhookUrlRefusal("not a url", env)).not.toBeNull();
});
