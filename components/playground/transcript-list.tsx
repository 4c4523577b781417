import { requirePageActor } from "@/lib/auth/session";
import { Card } from "@/components/ui/card";
import { recentTranscripts } from "@/lib/playground/transcripts";
import { formatCost } from "@/lib/calls/outcome";

/** The last stored prompts and answers (ADMIN only, and only while storage is on). */
export async function TranscriptList() {
  await requirePageActor("settings:write");
  const transcripts = await recentTranscripts(20);
  return (
    <Card title="Stored transcripts">
      {transcripts.length === 0 ? (
        <p className="text-sm text-slate-600">None stored yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {transcripts.map((t) => (
            <li key={t.id} className="space-y-1 py-3">
              <p className="text-xs text-slate-500">
                {t.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC · <code>{t.modelName}</code> ·{" "}
                {t.ok ? `${t.latencyMs} ms` : (t.errorClass ?? "failed")} · {t.inputTokens}/{t.outputTokens} tokens ·{" "}
                {formatCost(t.cost)}
              </p>
              <p className="whitespace-pre-wrap text-slate-800">
                <span className="font-medium">Prompt:</span> {t.prompt}
              </p>
              <p className="whitespace-pre-wrap text-slate-600">
                <span className="font-medium">Answer:</span> {t.answer || "—"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
