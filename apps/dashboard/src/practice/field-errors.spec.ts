import { ApiProblem } from '../api/client';
import { toFormErrors } from './field-errors';

describe('API violations to form fields', () => {
  it('should put each violation at its field when the path names one', () => {
    const problem = new ApiProblem(422, 'ENROLMENT.INVALID', 'De patiënt kan niet worden ingeschreven', [
      { code: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW', path: 'goldStage', message: 'GOLD-stadium 1 komt niet in aanmerking' },
      { code: 'ELIGIBILITY.NO_CONTRACT', path: 'intakeDate', message: 'Geen contract' },
      { code: 'X', path: 'somethingElse', message: 'Anders' },
    ]);
    expect(toFormErrors(problem, ['goldStage', 'intakeDate'])).toEqual({
      fields: { goldStage: ['GOLD-stadium 1 komt niet in aanmerking'], intakeDate: ['Geen contract'] },
      form: ['Anders'],
    });
  });

  it('should show the problem detail on the form when there are no violations', () => {
    expect(toFormErrors(new ApiProblem(404, 'PATIENT.NOT_FOUND', 'Patient bestaat niet.'), ['date'])).toEqual({
      fields: {},
      form: ['Patient bestaat niet.'],
    });
  });
});
