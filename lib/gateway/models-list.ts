import "server-only";
import type { ServerResponse } from "node:http";
import { gatewayCatalog } from "@/lib/gateway/catalog-cache";
import { sendJson } from "@/lib/gateway/http-io";
import { modelAllowed } from "@/lib/gateway/key-cache";
import type { Authenticated } from "@/lib/gateway/pipeline";

// GET /v1/models: what the caller's key may call, named as it must call them.
export async function handleModels(res: ServerResponse, auth: Authenticated): Promise<void> {
  const catalog = await gatewayCatalog();
  const data = catalog.models
    .filter((model) => modelAllowed(auth.key, model.gatewayName, model.modelId))
    .map((model) => ({ id: model.gatewayName, object: "model", created: 0, owned_by: model.provider.slug }));
  sendJson(res, 200, { object: "list", data });
}
