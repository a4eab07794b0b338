import { auditCsv } from './audit-log.service';
import type { AuditEntryDto } from './dto/audit-log.dto';

const entry = (actor: string): AuditEntryDto => ({
  id: '1',
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor,
  role: null,
  organisation: null,
  action: 'auth.login',
  patientPseudonym: null,
  patientPseudonyms: [],
  outcome: 'FAILURE',
  resourceType: 'session',
  resourceId: null,
  source: '127.0.0.1',
  detail: null,
  reason: null,
} as unknown as AuditEntryDto);

describe('auditCsv', () => {
  it('should keep a typed username as text when it starts like a formula, also in full-width form', () => {
    const lines = auditCsv([entry('=cmd'), entry('＝cmd'), entry('＠sum'), entry('jansen')]).split('\r\n');
    // Column 2 is the actor; an apostrophe in front keeps the first three from running in a spreadsheet.
    expect(lines.slice(1, 5).map((line) => line.split(',')[1])).toEqual(["'=cmd", "'＝cmd", "'＠sum", 'jansen']);
  });
});
