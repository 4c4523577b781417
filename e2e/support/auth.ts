import type { BrowserContext } from "@playwright/test";
import { expect } from "@playwright/test";

/** Signs in through next-auth's credentials endpoint (not the form) and keeps the cookie. */
export async function signInViaApi(context: BrowserContext, email: string, password: string): Promise<void> {
  const csrf = await context.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const session = await (await context.request.get("/api/auth/session")).json();
  expect(session?.user?.email).toBe(email);
}
