import { ReactNode, useId } from 'react';

/** A labelled field with its own error messages, tied together for screen readers (aria-describedby). */
export function FormField({ label, errors, children }: { label: string; errors?: string[]; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const invalid = errors && errors.length > 0;
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? errorId : undefined })}
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
