import { checkHealth } from "@/lib/health/check-health";
// Registers the undecryptable-secrets check with the health report.
import "@/lib/crypto/secrets-health";
import { defineRoute } from "@/lib/http/define-route";

export const dynamic = "force-dynamic";

// Public: load balancers and monitors poll it; the report names no secret, key or user.
export const GET = defineRoute({
  name: "health",
  auth: { public: true },
  handler: async () => {
    const report = await checkHealth();
    return Response.json(report, {
      status: report.status === "error" ? 503 : 200,
      headers: { "Cache-Control": "no-store" },
    });
  },
});
