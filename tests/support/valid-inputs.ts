// Hand-written valid inputs for every zod schema exported from lib/ (keyed "module#export"), for
// the sweeps that put one hostile value into an otherwise valid input. Written out, not derived
// from the schemas, so a schema that wrongly refuses valid input fails its test. UUID and UUID2
// stand for row ids; the integration sweep swaps in real ones by field name.
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";

export const UUID = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
export const UUID2 = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const PASSWORD = "Correct horse battery 9";
// A route's settings as the route editor posts them (one JSON field); providerId/modelId are
// placeholders the integration sweep cannot swap (they are nested), so there they name no model.
const ROUTE_SETTINGS = {
  strategy: "FALLBACK",
  groups: [
    { targets: [{ providerId: UUID, modelId: UUID2, weight: 1, params: { temperature: 0.3 }, timeoutMs: 15000 }] },
  ],
  retries: 1,
  deadlineMs: 60000,
  cooldownFailures: 3,
  cooldownSeconds: 30,
  cacheEnabled: true,
  cacheTtlSeconds: 300,
};

export const VALID_INPUTS: Record<string, unknown> = {
  "users/password-policy#passwordSchema": PASSWORD,
  "users/schemas#emailSchema": "a@example.test",
  "users/schemas#userSchema": { email: "a@example.test", name: "Ada", role: "VIEWER", password: PASSWORD },
  "users/schemas#createUserSchema": { email: "a@example.test", name: "Ada", role: "FINANCE", password: PASSWORD },
  "users/schemas#setupSchema": { email: "a@example.test", name: "Ada", password: PASSWORD, confirmPassword: PASSWORD },
  "users/schemas#userIdSchema": { userId: UUID },
  "users/schemas#changeRoleSchema": { userId: UUID, role: "ADMIN" },
  "users/schemas#setDisabledSchema": { userId: UUID, disabled: "true" },
  "users/schemas#resetPasswordSchema": { userId: UUID, password: PASSWORD },
  "providers/model-schemas#modelRowIdSchema": { providerId: UUID, id: UUID2 },
  "providers/model-schemas#effectiveFromSchema": "2026-06-01",
  "providers/model-schemas#addPriceSchema": {
    providerId: UUID,
    id: UUID2,
    inputPrice: "2.50",
    outputPrice: "10",
    cachedInputPrice: "1.25",
    effectiveFrom: "2026-06-01",
  },
  "providers/model-schemas#createModelSchema": {
    providerId: UUID,
    modelId: "gpt-4o",
    displayName: "GPT-4o",
    type: "DOMAIN",
    domain: "legal",
    baseModel: "",
    contextWindow: "128,000",
    maxOutputTokens: "16,384",
    enabled: "on",
    inputPrice: "2.5",
    outputPrice: "10",
    cachedInputPrice: "",
    effectiveFrom: "2026-06-01",
  },
  "providers/model-schemas#updateModelSchema": {
    providerId: UUID,
    id: UUID2,
    modelId: "ft:gpt-4o",
    displayName: "",
    type: "FINE_TUNED",
    domain: "",
    baseModel: "gpt-4o",
    contextWindow: "",
    maxOutputTokens: "4096",
  },
  "providers/model-schemas#setModelEnabledSchema": { providerId: UUID, id: UUID2, enabled: "false" },
  "providers/schemas#checkbox": "on",
  "providers/schemas#booleanText": "true",
  "providers/schemas#providerIdSchema": { providerId: UUID },
  "providers/schemas#createProviderSchema": {
    name: "Acme",
    slug: "acme-prod",
    kind: "openai",
    baseUrl: "https://api.openai.com/v1",
    allowInsecure: "",
    description: "d",
    region: "eu",
    tags: "prod, eu",
    importDefaults: "on",
  },
  "providers/schemas#updateProviderSchema": {
    providerId: UUID,
    name: "Acme",
    slug: "acme",
    baseUrl: "https://api.example.com/v1",
    allowInsecure: "",
    description: "",
    region: "",
    tags: "",
  },
  "providers/schemas#setProviderEnabledSchema": { providerId: UUID, enabled: "true" },
  "config/schemas#configValuesSchema": {
    temperature: "0.7",
    maxOutputTokens: "512",
    topP: "",
    timeoutMs: "30000",
    monthlyBudgetUsd: "250.00",
  },
  "config/schemas#saveConfigSchema": {
    providerId: UUID,
    modelId: "",
    baseVersion: "0",
    comment: "why",
    temperature: "0.5",
    monthlyBudgetUsd: "",
  },
  "config/schemas#rollbackConfigSchema": {
    providerId: UUID,
    modelId: UUID2,
    baseVersion: "3",
    comment: "",
    version: "2",
  },
  "config/schemas#storedConfigValuesSchema": { temperature: 0.7, maxOutputTokens: 512 },
  "usage/schemas#repriceSchema": { modelId: UUID },
  "usage/schemas#setBudgetSchema": { scope: "overall", monthlyAmount: "1500.50", hard: "on" },
  "usage/schemas#deleteBudgetSchema": { budgetId: UUID },
  "usage/schemas#setRetentionSchema": { retentionDays: "90" },
  "usage/schemas#runRetentionSchema": { olderThanDays: "30" },
  "ingest/schemas#ingestBodySchema": { records: [{}] },
  "ingest/schemas#ingestRecordSchema": {
    id: "rec-1",
    occurredAt: "2026-11-20T10:15:00.000Z",
    provider: "openai",
    model: "gpt-4o",
    keyId: UUID,
    tag: "checkout",
    inputTokens: 1200,
    cachedInputTokens: 200,
    outputTokens: 300,
    latencyMs: 850,
    ttftMs: 240,
    status: "error",
    errorClass: "rate_limit",
    httpStatus: 429,
  },
  "ingest/schemas#createIngestTokenSchema": { name: "billing app" },
  "ingest/schemas#revokeIngestTokenSchema": { tokenId: UUID },
  "test-calls/schemas#testKeyCallSchema": { keyId: UUID },
  "test-calls/schemas#testModelCallSchema": { providerId: UUID, modelId: UUID2 },
  "test-calls/schemas#listImportableSchema": { providerId: UUID },
  "test-calls/schemas#importedModelIdSchema": "models/gemini-2.0-flash",
  "test-calls/schemas#importModelsSchema": { providerId: UUID, modelIds: ["gpt-4o", "gpt-4o-mini"] },
  "test-calls/schemas#startTestRunSchema": {},
  "test-calls/schemas#testRunIdSchema": { runId: UUID },
  "test-calls/schemas#healthSettingsSchema": { intervalMinutes: "15", failureThreshold: "3" },
  "test-calls/schemas#transcriptSettingsSchema": { storeTranscripts: "on" },
  "test-calls/schemas#playgroundRequestSchema": {
    providerId: UUID,
    modelId: UUID2,
    keyId: UUID,
    prompt: "Say hi",
    maxOutputTokens: "64",
  },
  "keys/schemas#apiKeySchema": "sk-test-1234567890abcdef",
  "keys/schemas#labelSchema": "production",
  "keys/schemas#expiresAtSchema": "2027-01-31",
  "keys/schemas#providerIdSchema": UUID,
  "keys/schemas#keyIdSchema": { keyId: UUID },
  "keys/schemas#addKeySchema": {
    providerId: UUID,
    label: "prod",
    apiKey: "sk-test-1234567890abcdef",
    expiresAt: "2027-01-31",
    makePrimary: "on",
  },
  "keys/schemas#rotateKeySchema": {
    providerId: UUID,
    label: "prod 2",
    apiKey: "sk-test-abcdef1234567890",
    expiresAt: "",
    graceDays: "7",
    saveAnyway: "",
  },
  "keys/schemas#revokeKeySchema": { keyId: UUID, confirm: "on" },
  "keys/schemas#setPrimarySchema": { keyId: UUID },
  "keys/schemas#rebindKeySchema": { keyId: UUID, password: PASSWORD, confirm: "on" },
  "keys/schemas#testKeySchema": { keyId: UUID },
  "gateway/formats/openai/request-schema#toolCallSchema": {
    id: "call_1",
    type: "function",
    function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
  },
  "gateway/formats/openai/request-schema#messageSchema": { role: "user", content: "Hello", name: "ada" },
  "gateway/formats/openai/request-schema#chatRequestSchema": {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Hi" }] },
    ],
    tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
    tool_choice: "auto",
    parallel_tool_calls: true,
    response_format: { type: "json_object" },
    max_tokens: 64,
    max_completion_tokens: 64,
    temperature: 0.7,
    top_p: 1,
    stop: ["\n\n"],
    seed: 7,
    n: 1,
    stream: true,
    stream_options: { include_usage: true },
    user: "u-1",
  },
  "gateway-keys/schemas#createTeamSchema": { name: "Search", description: "the search squad", monthlyBudgetUsd: "500" },
  "gateway-keys/schemas#updateTeamSchema": { teamId: UUID, name: "Search", description: "", monthlyBudgetUsd: "" },
  "gateway-keys/schemas#deleteTeamSchema": { teamId: UUID },
  "gateway-keys/schemas#createGatewayKeySchema": {
    name: "checkout",
    teamId: UUID,
    allowedModels: "gpt-4o",
    monthlyBudgetUsd: "100.50",
    rpmLimit: "600",
    tpmLimit: "100000",
    maxParallel: "4",
    expiresAt: "2099-12-31",
    allowedIps: "10.0.0.0/8\n2001:db8::/32",
  },
  "gateway-keys/schemas#updateGatewayKeySchema": {
    gatewayKeyId: UUID2,
    name: "checkout",
    teamId: UUID,
    allowedModels: "",
    monthlyBudgetUsd: "",
    rpmLimit: "60",
    tpmLimit: "",
    maxParallel: "",
    expiresAt: "",
    allowedIps: "",
  },
  "gateway-keys/schemas#revokeGatewayKeySchema": { gatewayKeyId: UUID2, confirm: "on" },
  "gateway-keys/schemas#rotateGatewayKeySchema": { gatewayKeyId: UUID2, grace: "custom", graceMinutes: "90" },
  "keys/schemas#returnToRotationSchema": { keyId: UUID },
  "routes/schemas#targetParamsSchema": { temperature: 0.2, top_p: 0.9, max_tokens: 256 },
  "routes/schemas#routeTargetSchema": { providerId: UUID, modelId: UUID2, weight: 3, params: {}, timeoutMs: 20000 },
  "routes/schemas#routeGroupSchema": { targets: [{ providerId: UUID, modelId: UUID2 }] },
  "routes/schemas#routeGroupsSchema": [{ targets: [{ providerId: UUID, modelId: UUID2, weight: 2 }] }],
  "routes/schemas#routeSettingsSchema": ROUTE_SETTINGS,
  "routes/schemas#routeNameSchema": "chat-default",
  "routes/form-schemas#createRouteSchema": {
    name: "chat-default",
    description: "the default chat route",
    settings: JSON.stringify(ROUTE_SETTINGS),
    comment: "first",
  },
  "routes/form-schemas#saveRouteVersionSchema": {
    routeId: UUID,
    baseVersion: "1",
    settings: JSON.stringify({ ...ROUTE_SETTINGS, retries: 2 }),
    comment: "",
  },
  "routes/form-schemas#rollbackRouteSchema": { routeId: UUID, baseVersion: "2", version: "1", comment: "" },
  "routes/form-schemas#setRouteEnabledSchema": { routeId: UUID, enabled: "false" },
  "routes/form-schemas#archiveRouteSchema": { routeId: UUID, confirm: "on" },
  "notifications/schemas#channelIdSchema": { channelId: UUID },
  "notifications/schemas#webhookUrlSchema": "https://hooks.example.com/console",
  "notifications/schemas#createChannelSchema": {
    name: "Finance alerts",
    url: "https://hooks.example.com/c",
    format: "SLACK",
  },
  "notifications/schemas#setChannelEnabledSchema": { channelId: UUID, enabled: "false" },
  "notifications/schemas#createRuleSchema": {
    channelId: UUID,
    eventKinds: ["budget.threshold_reached"],
    minSeverity: "WARNING",
  },
  "notifications/schemas#ruleIdSchema": { ruleId: UUID },
  "notifications/schemas#smtpHostSchema": "smtp.example.com",
  "notifications/schemas#smtpPasswordSchema": "app password 1",
  "notifications/schemas#createEmailChannelSchema": {
    name: "Finance mail",
    smtpHost: "smtp.example.com",
    smtpPort: "587",
    smtpTls: "STARTTLS",
    smtpUsername: "console",
    smtpPassword: "app password 1",
    fromAddress: "console@example.com",
    selfSubscribe: "true",
  },
  "notifications/schemas#setSmtpPasswordSchema": { channelId: UUID, smtpUsername: "console", smtpPassword: "pw 2" },
  "notifications/schemas#setSelfSubscribeSchema": { channelId: UUID, selfSubscribe: "true" },
  "notifications/schemas#recipientsSchema": "finance@example.com, ops@example.com",
  "keys/schemas#rewrapBatchSchema": { cursor: JSON.stringify({ column: 1, afterId: "abc" }) },
  "evals/schemas#datasetIdSchema": { datasetId: UUID },
  "evals/schemas#runIdSchema": { runId: UUID },
  "evals/schemas#createDatasetSchema": {
    name: "Arithmetic",
    description: "Sums with known answers",
    format: "jsonl",
    content: '{"prompt": "2+2?", "expected": "4"}\n{"prompt": "3+3?", "expected": "6"}',
  },
  "evals/schemas#importVersionSchema": {
    datasetId: UUID,
    format: "csv",
    content: "prompt,expected\n2+2?,4\n",
    comment: "More cases",
  },
  "evals/schemas#saveCaseSchema": {
    datasetId: UUID,
    baseVersion: "1",
    caseKey: UUID2,
    case: JSON.stringify({ prompt: "Capital of France?", expectedOutput: "Paris", metadata: { topic: "geo" } }),
    comment: "",
  },
  "evals/schemas#deleteCaseSchema": { datasetId: UUID, baseVersion: "2", caseKey: UUID2 },
  "evals/schemas#createRunSchema": {
    datasetId: UUID,
    name: "Nightly",
    targets: [`model:${UUID}:${UUID2}`],
    scorers: JSON.stringify([
      { kind: "EXACT_MATCH", ignoreCase: true },
      { kind: "REGEX", pattern: "^\\d+$" },
    ]),
    concurrency: "4",
    maxOutputTokens: "256",
    startNow: "false",
  },
  "fine-tuning/schemas#jobIdSchema": { jobId: UUID },
  "fine-tuning/schemas#createJobSchema": {
    providerId: UUID,
    baseModelId: UUID2,
    trainingFileId: UUID,
    validationFileId: "",
    suffix: "support-bot",
    epochs: "3",
    learningRateMultiplier: "0.5",
    batchSize: "",
  },
  "fine-tuning/schemas#uploadQuerySchema": {
    providerId: UUID,
    purpose: "training",
    fileName: "train.jsonl",
    sha256: "0".repeat(64),
  },
};

const ROOT = path.resolve(import.meta.dirname, "../..");
function schemaModules(dir = path.join(ROOT, "lib")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : schemaModules(full);
    return /(schemas?|password-policy)\.ts$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

export type Found = { key: string; schema: z.ZodType };

// Every zod schema exported by a lib/ module named *schema.ts, *schemas.ts or password-policy.ts, found by walking lib/.
export async function exportedSchemas(): Promise<Found[]> {
  const found: Found[] = [];
  for (const file of schemaModules()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const prefix = path.relative(path.join(ROOT, "lib"), file).replace(/\.ts$/, "");
    for (const [name, value] of Object.entries(mod)) {
      if (value && typeof value === "object" && "_zod" in value && typeof (value as z.ZodType).safeParse === "function")
        found.push({ key: `${prefix}#${name}`, schema: value as z.ZodType });
    }
  }
  return found.sort((a, b) => a.key.localeCompare(b.key));
}
