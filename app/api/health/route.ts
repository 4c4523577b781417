import { checkHealth } from "@/lib/health/check-health";
// Registers the undecryptable-secrets check with the health report.
import "@/lib/crypto/secrets-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "error" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
