// The SSO tests' two halves over real HTTP on loopback: the console's next-auth (the options the
// server builds, lib/auth/options.ts, served through next-auth's own request handler) and a small
// browser that keeps cookies per origin, follows redirects and fills the test IdP's login and
// consent forms, as a person would.
import http from "node:http";
import net from "node:net";
import NextAuth, { type NextAuthOptions } from "next-auth";

export type AuthServer = { url: string; close: () => Promise<void> };

type PagesRequest = http.IncomingMessage & {
  query: Record<string, unknown>;
  body: unknown;
  cookies: Record<string, string>;
};
type PagesResponse = http.ServerResponse & {
  status: (code: number) => PagesResponse;
  json: (body: unknown) => void;
  send: (body: unknown) => void;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, string> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}

/** Serves /api/auth/* with next-auth and `options` on `port` (NEXTAUTH_URL must name it). */
export async function startAuthServer(options: NextAuthOptions, port: number): Promise<AuthServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
      if (!url.pathname.startsWith("/api/auth/")) {
        // Pages the browser lands on (the sign-in page, the refusal page, "/"): just a marker.
        res.setHeader("content-type", "text/plain");
        res.end(`page ${url.pathname}${url.search}`);
        return;
      }
      const nextauth = url.pathname.slice("/api/auth/".length).split("/").filter(Boolean);
      const request = Object.assign(req, {
        query: { ...Object.fromEntries(url.searchParams), nextauth },
        body: req.method === "POST" ? await readBody(req) : undefined,
        cookies: parseCookies(req.headers.cookie),
      }) as PagesRequest;
      const response = Object.assign(res, {
        status: (code: number) => {
          res.statusCode = code;
          return response;
        },
        json: (body: unknown) => {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify(body));
        },
        send: (body: unknown) => (typeof body === "string" ? res.end(body) : response.json(body)),
      }) as PagesResponse;
      // The Pages Router signature: next-auth reads query, body and cookies off the request.
      await (NextAuth as unknown as (req: PagesRequest, res: PagesResponse, options: NextAuthOptions) => Promise<void>)(
        request,
        response,
        options,
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(`auth server error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies per origin (all test servers are on 127.0.0.1 with different ports). */
export class Browser {
  readonly jars = new Map<string, Map<string, string>>();

  jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jar(target.origin);
    const response = await fetch(target, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(header) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `response`; returns the last response and every URL visited. */
  async follow(
    response: Response,
    from: string,
    visited: string[] = [],
  ): Promise<{ response: Response; url: string; visited: string[] }> {
    let current = response;
    let url = from;
    for (let hop = 0; hop < 20 && current.status >= 300 && current.status < 400; hop += 1) {
      url = new URL(current.headers.get("location") ?? "", url).toString();
      visited.push(url);
      current = await this.request(url);
    }
    return { response: current, url, visited };
  }
}

export type SsoAttempt = {
  /** Where the browser ended: a console URL (a path with its query). */
  landedOn: string;
  visited: string[];
  /** The console session as /api/auth/session reports it, or null. */
  session: { user?: { id?: string; email?: string; role?: string; sessionVersion?: number } } | null;
  /** The callback URL the IdP sent the browser to (code and state), for replay tests. */
  callbackUrl: string | null;
};

/**
 * One SSO sign-in through the console and the IdP: the console's CSRF token, POST
 * /api/auth/signin/oidc, the IdP's login form (any password: devInteractions), its consent form,
 * then the callback back to the console.
 */
export async function signInWithSso(browser: Browser, consoleUrl: string, login: string): Promise<SsoAttempt> {
  const csrf = await browser.request(`${consoleUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await browser.request(`${consoleUrl}/api/auth/signin/oidc`, {
    form: { csrfToken, callbackUrl: `${consoleUrl}/`, json: "true" },
  });
  const { url: authorizeUrl } = (await start.json()) as { url: string };
  if (!authorizeUrl.includes("/auth?")) throw new Error(`sign-in did not go to the IdP: ${authorizeUrl}`);
  const visited = [authorizeUrl];
  let page = await browser.follow(await browser.request(authorizeUrl), authorizeUrl, visited);
  let callbackUrl: string | null = null;
  for (let step = 0; step < 4 && !page.url.startsWith(consoleUrl); step += 1) {
    const html = await page.response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected IdP page at ${page.url}: ${html.slice(0, 300)}`);
    const form: Record<string, string> = prompt === "login" ? { prompt, login, password: "any" } : { prompt };
    const submitted = await browser.request(new URL(action, page.url).toString(), { form });
    page = await browser.follow(submitted, page.url, visited);
  }
  callbackUrl = visited.find((url) => url.startsWith(`${consoleUrl}/api/auth/callback/oidc`)) ?? null;
  const session = await sessionOf(browser, consoleUrl);
  return { landedOn: page.url.slice(consoleUrl.length), visited, session, callbackUrl };
}

export async function sessionOf(browser: Browser, consoleUrl: string): Promise<SsoAttempt["session"]> {
  const response = await browser.request(`${consoleUrl}/api/auth/session`);
  const body = (await response.json()) as SsoAttempt["session"];
  return body && Object.keys(body).length > 0 ? body : null;
}
