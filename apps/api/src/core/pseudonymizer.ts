import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from './config/app-config';

/**
 * Pseudonymisation with a key that lives only in the environment (PSEUDONYM_KEY): a BSN becomes a keyed
 * HMAC-SHA256 on entry and is dropped; the patient's visible pseudonym is derived from experiment, practice
 * and the practice's own reference, so a re-import of the same patient gets the same pseudonym.
 */
@Injectable()
export class Pseudonymizer {
  constructor(private readonly config: AppConfig) {}

  bsnToken(bsn: string): string {
    return this.hmac(`bsn:${bsn}`).toString('hex');
  }

  patientPseudonym(experimentCode: string, agb: string, ref: string): string {
    // 16 hex digits = 64 bits: for 10^6 patients the chance of any collision is about 3 in 10^8,
    // and the UNIQUE constraint on patients.pseudonym refuses one rather than merging two people.
    return `P-${this.hmac(`patient:${experimentCode}:${agb}:${ref}`).toString('hex').slice(0, 16).toUpperCase()}`;
  }

  private hmac(message: string): Buffer {
    return createHmac('sha256', this.config.PSEUDONYM_KEY).update(message, 'utf8').digest();
  }
}
