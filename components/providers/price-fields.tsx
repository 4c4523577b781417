import { TextField } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors/domain-error";

const today = () => new Date().toISOString().slice(0, 10);

/** Fine-tuning prices (optional): training, and the inference prices of models fine-tuned from this one. */
export function FineTunePriceFields({ errors, values }: { errors: FieldErrors; values?: Record<string, string> }) {
  const money = { inputMode: "decimal" as const, autoComplete: "off", placeholder: "unknown" };
  return (
    <fieldset className="grid gap-4 sm:grid-cols-3">
      <legend className="mb-1 text-sm font-medium text-slate-700">Fine-tuning (optional; empty = unpriced)</legend>
      <TextField
        name="trainingPrice"
        label="Training (USD / 1M trained tokens)"
        errors={errors.trainingPrice}
        defaultValue={values?.trainingPrice}
        {...money}
      />
      <TextField
        name="fineTunedInputPrice"
        label="Fine-tuned model input"
        errors={errors.fineTunedInputPrice}
        defaultValue={values?.fineTunedInputPrice}
        {...money}
      />
      <TextField
        name="fineTunedOutputPrice"
        label="Fine-tuned model output"
        errors={errors.fineTunedOutputPrice}
        defaultValue={values?.fineTunedOutputPrice}
        hint="Prices models fine-tuned from this one (both needed)."
        {...money}
      />
    </fieldset>
  );
}

/** Input, cached input and output prices (USD per 1M tokens) and the day they take effect. */
export function PriceFields({
  errors,
  values,
  optional = false,
}: {
  errors: FieldErrors;
  values?: Record<string, string>;
  optional?: boolean;
}) {
  const money = { inputMode: "decimal" as const, autoComplete: "off", placeholder: "0.00" };
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        name="inputPrice"
        label="Input price (USD / 1M tokens)"
        required={!optional}
        errors={errors.inputPrice}
        defaultValue={values?.inputPrice}
        {...money}
      />
      <TextField
        name="outputPrice"
        label="Output price (USD / 1M tokens)"
        required={!optional}
        errors={errors.outputPrice}
        defaultValue={values?.outputPrice}
        {...money}
      />
      <TextField
        name="cachedInputPrice"
        label="Cached input price (optional)"
        errors={errors.cachedInputPrice}
        defaultValue={values?.cachedInputPrice}
        hint="Where the provider discounts cached prompt tokens."
        {...money}
      />
      <TextField
        name="effectiveFrom"
        label="Effective from"
        type="date"
        required={!optional}
        errors={errors.effectiveFrom}
        defaultValue={values?.effectiveFrom ?? today()}
        hint="The price applies from 00:00 UTC that day."
      />
    </div>
  );
}
