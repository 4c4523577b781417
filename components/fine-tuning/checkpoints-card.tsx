import { Card } from "@/components/ui/card";
import { DomainError } from "@/lib/errors/domain-error";
import { fineTuningProvider, providerCheckpoints, type Checkpoint } from "@/lib/fine-tuning/openai-client";

/**
 * A finished job's checkpoints, asked of the provider when the page is read (they are the
 * provider's to keep). A provider that cannot answer leaves the rest of the page intact.
 */
export async function CheckpointsCard({ providerId, providerJobId }: { providerId: string; providerJobId: string }) {
  let checkpoints: Checkpoint[] = [];
  let problem: string | null = null;
  try {
    checkpoints = await providerCheckpoints(await fineTuningProvider(providerId), providerJobId);
  } catch (error) {
    problem = error instanceof DomainError ? error.message : "The provider could not be reached.";
  }
  return (
    <Card title="Checkpoints">
      {problem ? (
        <p className="text-sm text-amber-800">Checkpoints could not be read: {problem}</p>
      ) : checkpoints.length === 0 ? (
        <p className="text-sm text-slate-600">The provider lists no checkpoints for this job.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="fine-tune-checkpoints">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">Step</th>
              <th className="py-1">Checkpoint model</th>
              <th className="py-1">Training loss</th>
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((checkpoint) => (
              <tr key={checkpoint.id} className="border-t border-slate-100">
                <td className="py-1">{checkpoint.step ?? "—"}</td>
                <td className="break-all py-1 font-mono text-xs">{checkpoint.model}</td>
                <td className="py-1">{checkpoint.trainLoss === null ? "—" : checkpoint.trainLoss.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
