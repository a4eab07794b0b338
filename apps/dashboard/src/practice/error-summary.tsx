import { MouseEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from './field-errors';

/**
 * The error summary at the top of a form (GOV.UK / NL Design System pattern): a titled alert listing every
 * field error as a link to its field, then the form-level errors. It takes focus whenever it appears or its
 * errors change, so a keyboard or screen-reader user lands on it after a refused submit.
 */
export function ErrorSummary({
  errors,
  labels,
  idOf,
  attempt,
  testId = 'error-summary',
}: {
  errors: FormErrors;
  /** The visible label of each field, shown before its message. */
  labels: Record<string, string>;
  /** The id of the field's input (the link's target). */
  idOf(field: string): string;
  /**
   * Counts the refused submits: the summary takes the focus when it changes. Without it, whenever the errors change
   * (give it when the errors are re-worded on a language switch, so the switch does not move the focus).
   */
  attempt?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  // In the form's order (the order of `labels`), not the order the API happened to check the fields in.
  const order = Object.keys(labels);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const fieldErrors = Object.entries(errors.fields)
    .filter(([, messages]) => messages && messages.length > 0)
    .sort(([a], [b]) => rank(a) - rank(b));
  const count = fieldErrors.length + errors.form.length;
  // Focus on every refused submit (a second one focuses the summary again); `count` is read, not a trigger.
  const trigger = attempt ?? errors;
  useEffect(() => {
    if (count > 0) box.current?.focus();
  }, [trigger]);
  if (count === 0) return null;

  const follow = (field: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    const input = document.getElementById(idOf(field));
    if (!input) return;
    // The link's own jump would leave the focus on the link; move it into the field and keep the URL as it is.
    event.preventDefault();
    input.focus();
    input.scrollIntoView({ block: 'center' });
  };

  return (
    <div role="alert" className="form-alert error-summary" tabIndex={-1} ref={box} aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h4 id={`${testId}-title`} className="error-summary-title">
        {t('forms.errorSummaryTitle')}
      </h4>
      <ul>
        {fieldErrors.map(([field, messages]) => (
          <li key={field}>
            <a href={`#${idOf(field)}`} onClick={follow(field)}>
              {linkText(labels[field] ?? field, messages.join(' '))}
            </a>
          </li>
        ))}
        {errors.form.map((message, i) => (
          <li key={`form-${i}`}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

/** 'Geboortejaar ontbreekt; …' names its field already; otherwise the field's label goes first ('Patiëntnummer …: …'). */
function linkText(label: string, message: string): string {
  return message.toLocaleLowerCase().startsWith(label.toLocaleLowerCase()) ? message : `${label}: ${message}`;
}
