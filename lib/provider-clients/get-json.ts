import {
  classifyHttpStatus,
  classifyThrown,
  describeThrown,
  detailFromBody,
  providerFailure,
  transportFailureClass,
  type ProviderFailure,
} from "@/lib/provider-clients/errors";
import { createProviderFetch, originOf } from "@/lib/provider-clients/provider-fetch";

/**
 * One GET of a provider's JSON (model lists, key verification) through the provider transport:
 * egress policy, no redirects, only the base URL's origin. Failures come back classified, with the
 * provider's words only as a redacted excerpt.
 */
export async function getProviderJson(
  url: string,
  headers: Record<string, string>,
  options: { apiKey: string; timeoutMs: number; what: string },
): Promise<{ ok: true; body: unknown; status: number } | ProviderFailure> {
  const origin = originOf(url);
  if (!origin) return providerFailure("bad_request", { note: "The base URL is not a valid URL." }, options.apiKey);
  try {
    const response = await createProviderFetch({ allowedOrigin: origin })(url, {
      method: "GET",
      headers: { accept: "application/json", ...headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      return providerFailure(
        classifyHttpStatus(response.status, text),
        { upstream: detailFromBody(text) },
        options.apiKey,
        response.status,
      );
    }
    try {
      return { ok: true, body: JSON.parse(text), status: response.status };
    } catch {
      return providerFailure(
        "malformed_response",
        { note: `The ${options.what} was not JSON.`, upstream: text },
        options.apiKey,
        response.status,
      );
    }
  } catch (error) {
    const transport = transportFailureClass(error);
    const status =
      transport && "status" in transport.error && typeof transport.error.status === "number"
        ? transport.error.status
        : undefined;
    return providerFailure(
      classifyThrown(error),
      { upstream: transport?.error.message ?? describeThrown(error) },
      options.apiKey,
      status,
    );
  }
}
