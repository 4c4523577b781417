// A real OpenID Provider on loopback for the SSO tests: the certified `oidc-provider` package with
// its development login and consent pages, one confidential client, and accounts the test defines.
// `tamperNextIdToken` rewrites the ID token in the next token response (re-signed with the real
// key or not), so the tests can prove the console's library refuses what it must.
import http from "node:http";
import net from "node:net";
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import Provider from "oidc-provider";

export type IdpAccount = { email?: string; email_verified?: boolean; name?: string; groups?: string[] };

export type IdTokenClaims = Record<string, unknown>;
/** Returns the new ID token: `resign` signs a changed payload with the provider's own key. */
export type Tamper = (token: string, tools: { resign: (claims: IdTokenClaims) => string }) => string;

export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  tamperNextIdToken: (tamper: Tamper) => void;
  /** Every ID token the token endpoint answered with (after any tampering), for leak checks. */
  issuedIdTokens: string[];
  close: () => Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export function decodeJwt(token: string): { header: IdTokenClaims; claims: IdTokenClaims } {
  const [header, payload] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header ?? "", "base64url").toString()) as IdTokenClaims,
    claims: JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as IdTokenClaims,
  };
}

function signJwt(header: IdTokenClaims, claims: IdTokenClaims, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign("sha256", Buffer.from(input), key))}`;
}

export async function startTestIdp({
  redirectUris,
  port: fixedPort,
  clientSecret: fixedSecret,
}: {
  redirectUris: string[];
  port?: number;
  clientSecret?: string;
}): Promise<TestIdp> {
  const port = fixedPort ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };
  const signingKey = createPrivateKey({ key: jwk, format: "jwk" });
  const clientId = "provider-console";
  const clientSecret = fixedSecret ?? `test-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const accounts = new Map<string, IdpAccount>();
  const issuedIdTokens: string[] = [];
  let pendingTamper: Tamper | null = null;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["test-idp-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // Groups in the ID token itself, as Okta, Entra ID and Keycloak put them with a groups mapper.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
  });
  // oidc-provider's warnings about development-only features are expected here.
  provider.on("server_error", (_ctx, error) => console.error("test IdP server_error", error));

  const handle = provider.callback();
  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/token")) interceptToken(res);
    handle(req, res);
  });

  function interceptToken(res: http.ServerResponse): void {
    const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
    const setHeader = res.setHeader.bind(res);
    // The body changes length when a token is rewritten: the length header is left to Node.
    res.setHeader = ((name: string, value: number | string | readonly string[]) =>
      name.toLowerCase() === "content-length" ? res : setHeader(name, value)) as typeof res.setHeader;
    res.end = ((chunk?: unknown) => {
      if (chunk === undefined || typeof chunk === "function") return end(chunk);
      let body: { id_token?: string };
      try {
        body = JSON.parse(String(chunk)) as { id_token?: string };
      } catch {
        return end(chunk);
      }
      if (body.id_token) {
        const tamper = pendingTamper;
        pendingTamper = null;
        if (tamper) {
          const { header } = decodeJwt(body.id_token);
          body.id_token = tamper(body.id_token, { resign: (claims) => signJwt(header, claims, signingKey) });
        }
        issuedIdTokens.push(body.id_token);
      }
      return end(JSON.stringify(body));
    }) as typeof res.end;
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    issuedIdTokens,
    tamperNextIdToken: (tamper) => {
      pendingTamper = tamper;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
