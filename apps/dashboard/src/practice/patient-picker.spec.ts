import { matchPatients } from './patient-match';

const patients = [
  { id: 'a', ref: 'P00012', pseudonym: 'P-3F2A9C0D1E4B5A67' },
  { id: 'b', ref: 'P00112', pseudonym: 'P-77AB000000000000' },
  { id: 'c', ref: 'P00002', pseudonym: 'P-3F99000000000000' },
  { id: 'd', ref: 'x-12-b', pseudonym: 'P-0000000000000012' },
];

describe('patient search of the record form', () => {
  it('should match the own ref anywhere and case-insensitively when a part of it is typed', () => {
    // '12' is inside P00012, P00112 and x-12-b; the pseudonym P-...0012 ends in 12 but a pseudonym matches by prefix only.
    expect(matchPatients(patients, '12').map((p) => p.id)).toEqual(['a', 'b', 'd']);
    expect(matchPatients(patients, 'X-12').map((p) => p.id)).toEqual(['d']);
  });

  it('should match the pseudonym by its beginning when a pseudonym is typed', () => {
    expect(matchPatients(patients, 'p-3f').map((p) => p.id)).toEqual(['c', 'a']);
  });

  it('should offer nothing when nothing is typed, and at most the limit when many match', () => {
    expect(matchPatients(patients, '  ')).toEqual([]);
    expect(matchPatients(patients, 'p', 2).map((p) => p.id)).toEqual(['c', 'a']);
  });
});
