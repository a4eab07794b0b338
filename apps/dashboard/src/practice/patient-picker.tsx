import { KeyboardEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchPatients, patientLabel, PickablePatient } from './patient-match';

export type { PickablePatient };
export { patientLabel };

/**
 * A search field for a patient (ref or pseudonym) with a listbox of matches: the ARIA 1.2 combobox pattern
 * (arrow keys move through the matches, Enter chooses, Escape closes). Typing clears the choice until a match is
 * chosen, so the form never records for a patient the user did not pick.
 */
export function PatientPicker({
  patients,
  text,
  selectedId,
  onText,
  onPick,
  inputProps,
}: {
  patients: PickablePatient[];
  text: string;
  selectedId: string;
  onText(text: string): void;
  onPick(patient: PickablePatient): void;
  inputProps: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => (selectedId ? [] : matchPatients(patients, text)), [patients, text, selectedId]);
  const listId = `${inputProps.id}-list`;
  const statusId = `${inputProps.id}-status`;
  const expanded = open && matches.length > 0;

  function pick(patient: PickablePatient) {
    onPick(patient);
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && matches.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % matches.length);
    } else if (event.key === 'ArrowUp' && matches.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i - 1 + matches.length) % matches.length);
    } else if (event.key === 'Enter' && expanded) {
      event.preventDefault(); // choose, do not submit the form
      pick(matches[Math.min(active, matches.length - 1)]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const describedBy = [inputProps['aria-describedby'], statusId].filter(Boolean).join(' ');
  return (
    <div className="patient-picker">
      <input
        {...inputProps}
        aria-describedby={describedBy}
        type="search"
        name="patient"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? `${listId}-${Math.min(active, matches.length - 1)}` : undefined}
        autoComplete="off"
        placeholder={t('forms.patientSearchPlaceholder')}
        value={text}
        onChange={(e) => {
          onText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" aria-label={t('forms.patientMatches')} className="picker-list" hidden={!expanded}>
        {matches.map((p, i) => (
          <li
            key={p.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // mousedown, not click: the input's blur would close the list before the click lands
            onMouseDown={(e) => {
              e.preventDefault();
              pick(p);
            }}
          >
            {patientLabel(p)}
          </li>
        ))}
      </ul>
      <span id={statusId} className="visually-hidden" aria-live="polite">
        {selectedId ? t('forms.patientChosen', { patient: text }) : text.trim() ? t('forms.patientMatchCount', { count: matches.length }) : ''}
      </span>
    </div>
  );
}
