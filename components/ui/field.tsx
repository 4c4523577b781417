import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-red-500 disabled:bg-slate-100";

type FieldFrameProps = { id: string; label: string; errors?: string[]; hint?: ReactNode; children: ReactNode };

/** Label, control, hint and errors, tied together with aria-describedby. */
export function FieldFrame({ id, label, errors, hint, children }: FieldFrameProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, errors?: string[], hint?: ReactNode): string | undefined {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

type Common = { name: string; label: string; errors?: string[]; hint?: ReactNode };

export function TextField({ name, label, errors, hint, id, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const fieldId = id ?? `field-${name}`;
  return (
    <FieldFrame id={fieldId} label={label} errors={errors} hint={hint}>
      <input
        id={fieldId}
        name={name}
        className={control}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(fieldId, errors, hint)}
        {...rest}
      />
    </FieldFrame>
  );
}

export function TextAreaField({
  name,
  label,
  errors,
  hint,
  id,
  ...rest
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const fieldId = id ?? `field-${name}`;
  return (
    <FieldFrame id={fieldId} label={label} errors={errors} hint={hint}>
      <textarea
        id={fieldId}
        name={name}
        className={control}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(fieldId, errors, hint)}
        {...rest}
      />
    </FieldFrame>
  );
}

export function SelectField({
  name,
  label,
  errors,
  hint,
  id,
  options,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const fieldId = id ?? `field-${name}`;
  return (
    <FieldFrame id={fieldId} label={label} errors={errors} hint={hint}>
      <select
        id={fieldId}
        name={name}
        className={control}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(fieldId, errors, hint)}
        {...rest}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({
  name,
  label,
  hint,
  id,
  ...rest
}: Omit<Common, "errors"> & InputHTMLAttributes<HTMLInputElement>) {
  const fieldId = id ?? `field-${name}`;
  return (
    <div className="flex items-start gap-2">
      <input
        id={fieldId}
        name={name}
        type="checkbox"
        value="on"
        className="mt-1 h-4 w-4 rounded border-slate-300 text-indigo-600"
        aria-describedby={hint ? `${fieldId}-hint` : undefined}
        {...rest}
      />
      <div>
        <label htmlFor={fieldId} className="text-sm font-medium text-slate-700">
          {label}
        </label>
        {hint ? (
          <p id={`${fieldId}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
