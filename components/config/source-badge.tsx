import { Badge } from "@/components/ui/card";
import type { ConfigSource } from "@/lib/config/fields";

const TONE = { model: "indigo", provider: "green", default: "slate" } as const;
const LABEL = { model: "Model", provider: "Provider", default: "Default" } as const;

/** Where an effective value came from: the model's own configuration, the provider's, or the built-in default. */
export function SourceBadge({ source }: { source: ConfigSource }) {
  return <Badge tone={TONE[source]}>{LABEL[source]}</Badge>;
}
