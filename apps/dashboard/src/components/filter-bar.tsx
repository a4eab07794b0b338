import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_FILTERS, Filters } from '../filters/url-filters';

export interface FilterOptions {
  practices: { agb: string; name: string }[];
  insurers: { uzovi: string; name: string }[];
  regions: string[];
}

interface Props {
  filters: Filters;
  options: FilterOptions;
  onChange(filters: Filters): void;
}

/** Period, practice, insurer, region, GOLD stage and profile; applied to the URL so a view can be shared. */
export function FilterBar({ filters, options, onChange }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(filters);
  useEffect(() => setDraft(filters), [filters]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const toggle = (key: 'goldStage' | 'profile', value: number) =>
    setDraft((d) => ({ ...d, [key]: d[key].includes(value) ? d[key].filter((v) => v !== value) : [...d[key], value].sort((a, b) => a - b) }));
  // A value the URL asked for that is not in the list (unknown, or not the reader's) stays visible as asked,
  // not replaced by "Alle" (issue 16); the page names it in one message (components/page-states.tsx).
  const asked = (key: 'practice' | 'insurer' | 'region', known: string[]) => {
    const value = draft[key][0];
    if (!value || known.includes(value)) return null;
    return (
      <option value={value}>{known.length > 0 ? t('states.unknownOption', { value }) : value}</option>
    );
  };
  const single = (key: 'practice' | 'insurer' | 'region', value: string) => setDraft((d) => ({ ...d, [key]: value ? [value] : [] }));

  return (
    <form className="filters no-print" onSubmit={submit} aria-labelledby="filters-title" data-testid="filters">
      <h2 id="filters-title">{t('filters.title')}</h2>
      <div className="filter-grid">
        <label>
          {t('filters.intakeFrom')}
          <input type="date" name="intakeFrom" value={draft.intakeFrom ?? ''} onChange={(e) => setDraft({ ...draft, intakeFrom: e.target.value || undefined })} />
        </label>
        <label>
          {t('filters.intakeTo')}
          <input type="date" name="intakeTo" value={draft.intakeTo ?? ''} onChange={(e) => setDraft({ ...draft, intakeTo: e.target.value || undefined })} />
        </label>
        <label>
          {t('filters.practice')}
          <select name="practice" value={draft.practice[0] ?? ''} onChange={(e) => single('practice', e.target.value)}>
            <option value="">{t('filters.all')}</option>
            {asked('practice', options.practices.map((p) => p.agb))}
            {options.practices.map((p) => (
              <option key={p.agb} value={p.agb}>
                {p.name} ({p.agb})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filters.insurer')}
          <select name="insurer" value={draft.insurer[0] ?? ''} onChange={(e) => single('insurer', e.target.value)}>
            <option value="">{t('filters.all')}</option>
            {asked('insurer', options.insurers.map((i) => i.uzovi))}
            {options.insurers.map((i) => (
              <option key={i.uzovi} value={i.uzovi}>
                {i.name} ({i.uzovi})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filters.region')}
          <select name="region" value={draft.region[0] ?? ''} onChange={(e) => single('region', e.target.value)}>
            <option value="">{t('filters.all')}</option>
            {asked('region', options.regions)}
            {options.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('filters.goldStage')}</legend>
          {[2, 3, 4].map((stage) => (
            <label key={stage} className="inline">
              <input type="checkbox" name="goldStage" value={stage} checked={draft.goldStage.includes(stage)} onChange={() => toggle('goldStage', stage)} />
              {stage}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('filters.profile')}</legend>
          {[1, 2, 3, 4, 5, 6].map((profile) => (
            <label key={profile} className="inline">
              <input type="checkbox" name="profile" value={profile} checked={draft.profile.includes(profile)} onChange={() => toggle('profile', profile)} />
              {profile}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="filter-actions">
        <button type="submit" data-testid="apply-filters">
          {t('filters.apply')}
        </button>
        <button type="button" className="secondary" onClick={() => onChange(EMPTY_FILTERS)}>
          {t('filters.reset')}
        </button>
        <span className="hint">{t('filters.shareHint')}</span>
      </div>
    </form>
  );
}
