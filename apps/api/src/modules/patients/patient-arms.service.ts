import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { armAtIntake, type Arm, type ContractTerms, type IsoDate } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { PairIds, PatientArmsRepository } from './patient-arms.repository';

/** A practice x insurer with its contracts as they are after the change. */
export interface PairContracts extends PairIds {
  contracts: readonly ContractTerms[];
}

/** A patient whose arm a contract correction moved. */
export interface ArmChange {
  patientId: string;
  pseudonym: string;
  ref: string;
  intakeDate: IsoDate;
  before: Arm;
  after: Arm;
}

/**
 * Re-derives patients' arms after a correction of their contracts (DOMAIN.md 3): the arm is the arm of the contract
 * in force on the intake date (armAtIntake over the pair's contracts after the change), so the same stored data
 * gives the same arms whatever order it arrived in. A renewal never moves an arm, because it does not cover an
 * intake that another contract covered; only a corrected arm or period does. Runs in the caller's transaction, with
 * one audit row per moved patient (NEN 7513: the practice sees it among the accesses to its patients).
 */
@Injectable()
export class PatientArmsService {
  constructor(
    private readonly repository: PatientArmsRepository,
    private readonly audit: AuditService,
  ) {}

  async rederive(
    manager: EntityManager,
    actor: Actor,
    experimentId: string,
    pairs: readonly PairContracts[],
    cause: Record<string, unknown>,
  ): Promise<ArmChange[]> {
    const contractsOf = new Map(pairs.map((p) => [pairId(p), p.contracts]));
    const changes: ArmChange[] = [];
    for (const patient of await this.repository.patientsOfPairs(manager, experimentId, pairs)) {
      const after = armAtIntake(contractsOf.get(pairId(patient)) ?? [], patient.intakeDate);
      // No contract at intake: the contract rules refuse such a change, so this is an enrolment the same write
      // corrects (an import); leave its arm to that write.
      if (after === undefined || after === patient.arm) continue;
      changes.push({
        patientId: patient.id,
        pseudonym: patient.pseudonym,
        ref: patient.ref,
        intakeDate: patient.intakeDate,
        before: patient.arm,
        after,
      });
    }
    await this.repository.setArms(
      manager,
      changes.map((c) => ({ id: c.patientId, arm: c.after })),
    );
    await this.audit.recordMany(
      actor,
      changes.map((c) => ({
        action: 'patient.arm-rederive',
        resourceType: 'patient',
        resourceId: c.patientId,
        patientPseudonym: c.pseudonym,
        detail: { before: c.before, after: c.after, intakeDate: c.intakeDate, ...cause },
      })),
      manager,
    );
    return changes;
  }
}

/** What a contract's audit row says of the patients it moved: pseudonyms with their arm before and after. */
export function armChangesDetail(
  changes: readonly ArmChange[],
): { patient: string; before: Arm; after: Arm }[] {
  return changes.map((c) => ({ patient: c.pseudonym, before: c.before, after: c.after }));
}

function pairId(p: PairIds): string {
  return `${p.practiceId}:${p.insurerId}`;
}
