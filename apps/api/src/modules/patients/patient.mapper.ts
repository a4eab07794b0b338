import type { Enrolment } from '@copd/domain';
import type { Actor } from '../../core/actor/actor';
import { InsurerPatientDto, PatientDto, PatientView } from './dto/patient.dto';
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

/** The insurer's view (InsurerPatientDto says why these fields and no others); every field listed explicitly. */
export function toInsurerPatientView(p: PatientRow): InsurerPatientDto {
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
export function toPatientViewFor(actor: Actor, p: PatientRow): PatientView {
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
