import { afterEach, describe, expect, it, vi } from "vitest";
import { apiRoute } from "@/lib/http/api-route";
import { logger } from "@/lib/log/logger";
import { currentRequestId } from "@/lib/log/request-context";

const request = (id?: string) =>
  new Request("http://localhost/api/health", { headers: id === undefined ? {} : { "x-request-id": id } });

describe("apiRoute", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps a well-formed incoming request id: in the handler's log lines and on the response", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const route = apiRoute(async () => {
      logger.info("inside the handler");
      return Response.json({ seen: currentRequestId() });
    });
    const response = await route(request("lb-1234-abcd"));
    expect(response.headers.get("x-request-id")).toBe("lb-1234-abcd");
    expect(await response.json()).toEqual({ seen: "lb-1234-abcd" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: "inside the handler", requestId: "lb-1234-abcd" });
    expect(currentRequestId()).toBeUndefined();
  });

  it("replaces a missing or malformed id with a fresh UUID, the same in the handler and the response", async () => {
    for (const incoming of [undefined, "bad id\twith tab", "short", "x".repeat(129)]) {
      let inside: string | undefined;
      const response = await apiRoute(async () => ((inside = currentRequestId()), new Response("ok")))(
        request(incoming),
      );
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(inside).toBe(response.headers.get("x-request-id"));
    }
  });

  it("answers a copy when the handler's response has immutable headers, status and body kept", async () => {
    const response = await apiRoute(() => Response.redirect("http://localhost/login", 307))(request("req-12345678"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://localhost/login");
    expect(response.headers.get("x-request-id")).toBe("req-12345678");
  });

  it("passes the route context through to the handler", async () => {
    const route = apiRoute(async (_request: Request, context: { params: Promise<{ id: string }> }) =>
      Response.json(await context.params),
    );
    expect(await (await route(request(), { params: Promise.resolve({ id: "run-1" }) })).json()).toEqual({
      id: "run-1",
    });
  });
});
