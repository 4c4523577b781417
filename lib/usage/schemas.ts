import { z } from "zod";

// Forms and actions of the usage pages (budgets, retention, repricing).

export const repriceSchema = z.object({ modelId: z.uuid({ error: "Unknown model." }) });
