import type { ImportMapping } from './import-types';
import type { MappableField } from './report-rows';

/** What the mapping form holds: the insurer for every patient without one, and per patient what the source lacks. */
export interface MappingValues {
  insurer: string;
  patients: Record<string, Partial<Record<MappableField, string>>>;
}

export const EMPTY_MAPPING: MappingValues = { insurer: '', patients: {} };

/** The mapping the API takes (shared15.md item 2): the page's practice, and only the values filled in. */
export function toMapping(agb: string, values: MappingValues): ImportMapping {
  const patients: NonNullable<ImportMapping['patients']> = {};
  for (const [key, fields] of Object.entries(values.patients)) {
    const entry: NonNullable<ImportMapping['patients']>[string] = {};
    if (fields.goldStage) entry.goldStage = Number(fields.goldStage);
    if (fields.profile) entry.profile = Number(fields.profile);
    if (fields.referralDate) entry.referralDate = fields.referralDate;
    if (fields.intakeDate) entry.intakeDate = fields.intakeDate;
    if (fields.insurer) entry.insurer = fields.insurer;
    if (Object.keys(entry).length > 0) patients[key] = entry;
  }
  return { practice: agb, ...(values.insurer ? { insurer: values.insurer } : {}), ...(Object.keys(patients).length > 0 ? { patients } : {}) };
}
