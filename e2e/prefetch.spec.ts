import { randomUUID } from "node:crypto";
import { expect, test, type Request } from "@playwright/test";
import { signInViaApi } from "./support/auth";
import { query } from "./support/db";
import { createUser } from "./support/factories";

// Every page here is rendered per request, so a link that prefetches on sight costs the server a
// full render. Links prefetch on intent (components/ui/link.tsx): a page view makes no prefetch
// requests until someone points at or focuses a link, and then only for that link.

const isRscRequest = (request: Request) => new URL(request.url()).searchParams.has("_rsc");

test("a page view makes no prefetch requests; hovering or focusing a link prefetches that route alone, and clicking it navigates", async ({
  browser,
}) => {
  const admin = await createUser("ADMIN");
  const name = `Prefetch ${randomUUID().slice(0, 12)}`;
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.example.test/v1', now()) RETURNING id`,
    [name],
  );
  const context = await browser.newContext();
  await signInViaApi(context, admin.email, admin.password);
  const page = await context.newPage();
  const rsc: string[] = [];
  page.on("request", (request) => {
    if (isRscRequest(request)) rsc.push(new URL(request.url()).pathname);
  });

  // The providers page shows the 11-link navigation and a link per provider; by default each
  // would be prefetched as it came into view.
  await page.goto("/providers");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1_000);
  expect(rsc).toEqual([]);

  const nav = page.getByRole("navigation", { name: "Main" });
  const prefetched = page.waitForRequest(
    (request) => isRscRequest(request) && new URL(request.url()).pathname === "/spend",
  );
  await nav.getByRole("link", { name: "Spend", exact: true }).hover();
  await prefetched;
  await page.waitForTimeout(500);
  expect(new Set(rsc)).toEqual(new Set(["/spend"]));

  // Keyboard users get the same: focus prefetches.
  const focused = page.waitForRequest(
    (request) => isRscRequest(request) && new URL(request.url()).pathname === `/providers/${provider!.id}`,
  );
  await page.getByRole("link", { name }).focus();
  await focused;

  await nav.getByRole("link", { name: "Spend", exact: true }).click();
  await expect(page).toHaveURL(/\/spend$/);
  await expect(page.getByRole("heading", { name: "Spend", level: 1 })).toBeVisible();
  await context.close();
});
