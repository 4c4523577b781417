import "server-only";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from "@/lib/log/request-context";

// Route handlers are not behind proxy.ts: on the slower test CPU a proxy cost a bare Next.js app
// 4–5 ms of CPU per request (README, Load); defineRoute (define-route.ts) does the session, role and
// request checks, and builds every handler with this. This gives
// a handler what the proxy gives a page: a request id (a well-formed incoming one is kept, else a
// fresh UUID) in its log lines and on its response. The security headers for /api come from
// next.config.ts.
export function apiRoute<R extends Request, Args extends unknown[]>(
  handler: (request: R, ...rest: Args) => Promise<Response> | Response,
): (request: R, ...rest: Args) => Promise<Response> {
  return async (request, ...rest) => {
    const id = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const response = await runWithRequestId(id, () => handler(request, ...rest));
    try {
      response.headers.set(REQUEST_ID_HEADER, id);
      return response;
    } catch {
      // Responses such as Response.redirect() have immutable headers: answer with a copy.
      const copy = new Response(response.body, response);
      copy.headers.set(REQUEST_ID_HEADER, id);
      return copy;
    }
  };
}
