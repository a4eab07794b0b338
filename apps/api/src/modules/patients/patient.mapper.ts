import type { Enrolment } from '@copd/domain';
import type { Actor } from '../../core/actor/actor';
import { PatientDto } from './dto/patient.dto';
import { PatientRow } from './patient.entity';

/** Lists every field explicitly: nothing else (bsn_hmac above all) can leak into a response. */
export function toPatientDto(p: PatientRow): PatientDto {
  return {
    id: p.id,
    pseudonym: p.pseudonym,
    ref: p.ref,
    experiment: p.experimentCode,
    practice: p.agb,
    insurer: p.uzovi,
    arm: p.arm,
    birthYear: p.birthYear,
    sex: p.sex,
    goldStage: p.goldStage,
    profile: p.profile,
    referralDate: p.referralDate,
    intakeDate: p.intakeDate,
    endDate: p.endDate,
    endReason: p.endReason,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * What an INSURER sees of its insured: pseudonym, experiment, practice, insurer, arm and the enrolment period
 * its costs run over. No practice reference (it identifies the person at the practice) and no clinical
 * detail: no birth year, sex, GOLD stage, profile, referral date or end reason. Costs come from
 * /patients/:id/pricing and /patients/:id/facts.
 */
export type InsurerPatientView = Pick<PatientDto, 'id' | 'pseudonym' | 'experiment' | 'practice' | 'insurer' | 'arm' | 'intakeDate' | 'endDate' | 'createdAt' | 'updatedAt'>;

export function toInsurerPatientView(p: PatientRow): InsurerPatientView {
  return {
    id: p.id,
    pseudonym: p.pseudonym,
    experiment: p.experimentCode,
    practice: p.agb,
    insurer: p.uzovi,
    arm: p.arm,
    intakeDate: p.intakeDate,
    endDate: p.endDate,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The patient as this actor may see it: insurers get the view without clinical detail. */
export function toPatientViewFor(actor: Actor, p: PatientRow): PatientDto | InsurerPatientView {
  return actor.role === 'INSURER' ? toInsurerPatientView(p) : toPatientDto(p);
}

export function toEnrolment(p: PatientRow): Enrolment {
  return {
    ref: p.ref,
    practice: p.agb,
    insurer: p.uzovi,
    birthYear: p.birthYear,
    sex: p.sex,
    goldStage: p.goldStage,
    profile: p.profile,
    referralDate: p.referralDate,
    intakeDate: p.intakeDate,
    endDate: p.endDate,
    endReason: p.endReason,
  };
}
