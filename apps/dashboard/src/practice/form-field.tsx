import { ReactNode, useId } from 'react';

/** A labelled field with its own error messages, tied together for screen readers (aria-describedby). */
export function FormField({
  label,
  errors,
  id: fixedId,
  hint,
  children,
}: {
  label: string;
  errors?: string[];
  /** A stable id for the input, so the error summary can link to it (a generated one otherwise). */
  id?: string;
  /** A short help text under the label (e.g. the expected format). */
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const generated = useId();
  const id = fixedId ?? generated;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = errors && errors.length > 0;
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {children({ id, 'aria-invalid': invalid || undefined, 'aria-describedby': [hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined })}
      {invalid && (
        <p className="field-error" id={errorId} data-testid="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

export function FormAlert({ title, messages }: { title: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div role="alert" className="form-alert">
      <p>{title}</p>
      <ul>
        {messages.map((m, i) => (
          <li key={i}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
