// The training-loss chart's series from a job's stored events: one point per step (the newest
// event wins when a step was reported twice), in step order, events without a step or any loss
// left out.

export type LossEvent = { step: number | null; trainLoss: number | null; validLoss: number | null };
export type LossPoint = { step: number; trainLoss: number | null; validLoss: number | null };

export function lossSeries(events: readonly LossEvent[]): LossPoint[] {
  const byStep = new Map<number, LossPoint>();
  for (const event of events) {
    if (event.step === null || !Number.isFinite(event.step)) continue;
    const train = event.trainLoss !== null && Number.isFinite(event.trainLoss) ? event.trainLoss : null;
    const valid = event.validLoss !== null && Number.isFinite(event.validLoss) ? event.validLoss : null;
    if (train === null && valid === null) continue;
    byStep.set(event.step, { step: event.step, trainLoss: train, validLoss: valid });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
