import { checkHealth } from "@/lib/health/check-health";
// Registers the undecryptable-secrets check with the health report.
import "@/lib/crypto/secrets-health";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

async function handleGet() {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "error" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}

export const GET = apiRoute(handleGet);
