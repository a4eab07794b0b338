import type { Enrolment } from '@copd/domain';
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
