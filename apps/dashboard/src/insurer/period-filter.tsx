import { FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InsurerSelection } from './insurer-data';

/**
 * The period of the insurer's figures: the first and last calendar quarter (inclusive) in which the counted care
 * quarters start. Both fields are checked together before anything is asked; an inverted period is named at the
 * second field (the API refuses it too, FILTER.PERIOD_INVERTED).
 */
export function PeriodFilter({
  quarters,
  selection,
  onChange,
}: {
  quarters: string[];
  selection: InsurerSelection;
  onChange(next: { from: string | null; to: string | null }): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [from, setFrom] = useState(selection.from ?? '');
  const [to, setTo] = useState(selection.to ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setFrom(selection.from ?? '');
    setTo(selection.to ?? '');
  }, [selection.from, selection.to]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && from > to) {
      setError(t('insurerPages.period.inverted'));
      document.getElementById(`${id}-to`)?.focus();
      return;
    }
    setError(null);
    onChange({ from: from || null, to: to || null });
  };
  const options = (
    <>
      <option value="">{t('insurerPages.period.all')}</option>
      {quarters.map((q) => (
        <option key={q} value={q}>
          {q}
        </option>
      ))}
    </>
  );
  return (
    <form className="insurer-period no-print" onSubmit={submit} data-testid="period-filter" noValidate>
      <fieldset>
        <legend>{t('insurerPages.period.legend')}</legend>
        <div className="insurer-period-fields">
          <label htmlFor={`${id}-from`}>
            {t('insurerPages.period.from')}
            <select id={`${id}-from`} name="from" value={from} onChange={(e) => setFrom(e.target.value)}>
              {options}
            </select>
          </label>
          <label htmlFor={`${id}-to`}>
            {t('insurerPages.period.to')}
            <select
              id={`${id}-to`}
              name="to"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            >
              {options}
            </select>
          </label>
          <button type="submit">{t('insurerPages.period.apply')}</button>
          {(selection.from || selection.to) && (
            <button type="button" className="secondary" onClick={() => onChange({ from: null, to: null })}>
              {t('insurerPages.period.reset')}
            </button>
          )}
        </div>
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert" data-testid="period-error">
            {error}
          </p>
        )}
      </fieldset>
    </form>
  );
}
