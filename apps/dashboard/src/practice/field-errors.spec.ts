import { ApiProblem } from '../api/client';
import { toFormErrors, violationText } from './field-errors';

describe('API violations to form fields', () => {
  it('should put each violation at its field when the path names one', () => {
    const problem = new ApiProblem(422, 'ENROLMENT.INVALID', 'De patiënt kan niet worden ingeschreven', [
      { code: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW', path: 'goldStage', message: 'GOLD-stadium 1 komt niet in aanmerking' },
      { code: 'ELIGIBILITY.NO_CONTRACT_IN_FORCE', path: 'intakeDate', message: 'Geen contract' },
      { code: 'X', path: 'somethingElse', message: 'Anders' },
    ]);
    // Without params the catalogue cannot word a message, so the API's text stays.
    expect(toFormErrors(problem, ['goldStage', 'intakeDate'], 'nl')).toEqual({
      fields: { goldStage: ['GOLD-stadium 1 komt niet in aanmerking'], intakeDate: ['Geen contract'] },
      form: ['Anders'],
      entries: [
        { field: 'goldStage', code: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW', text: 'GOLD-stadium 1 komt niet in aanmerking' },
        { field: 'intakeDate', code: 'ELIGIBILITY.NO_CONTRACT_IN_FORCE', text: 'Geen contract' },
        { field: null, code: 'X', text: 'Anders' },
      ],
    });
  });

  it('should show the problem detail on the form when there are no violations', () => {
    expect(toFormErrors(new ApiProblem(404, 'PATIENT.NOT_FOUND', 'Patient bestaat niet.'), ['date'], 'nl')).toEqual({
      fields: {},
      form: ['Patient bestaat niet.'],
      entries: [{ field: null, code: 'PATIENT.NOT_FOUND', text: 'Patient bestaat niet.' }],
    });
  });

  it('should word each violation by its code in the interface language when the API sent another language', () => {
    // The API answered in Dutch (say the language was switched after the request); the form shows English.
    const problem = new ApiProblem(400, 'REQUEST.INVALID', 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".', [
      { code: 'SHAPE.REQUIRED', path: 'birthYear', message: 'Geboortejaar ontbreekt; vul dit veld in.', params: { value: null } },
      { code: 'SHAPE.NOT_A_NUMBER', path: 'value', message: "Waarde: '2,5,1' is geen getal", params: { value: '2,5,1' } },
      {
        code: 'MEASUREMENT.IN_FUTURE',
        path: 'date',
        message: 'De meting (05-03-2025) ligt in de toekomst (vandaag is 01-03-2025); leg alleen vast wat al heeft plaatsgevonden.',
        params: { date: '2025-03-05', today: '2025-03-01', value: '2025-03-05' },
      },
    ]);
    expect(toFormErrors(problem, ['birthYear', 'value', 'date'], 'en').fields).toEqual({
      birthYear: ['Year of birth is missing; please fill it in.'],
      value: ["Value: '2,5,1' is not a number; enter a number (e.g. 12.5)."],
      date: ['The measurement (2025-03-05) is in the future (today is 2025-03-01); record only what has already taken place.'],
    });
    expect(toFormErrors(problem, ['birthYear', 'value', 'date'], 'nl').fields.date).toEqual([
      'De meting (05-03-2025) ligt in de toekomst (vandaag is 01-03-2025); leg alleen vast wat al heeft plaatsgevonden.',
    ]);
  });

  it('should keep the API message when the code is not in the catalogue', () => {
    expect(violationText({ code: 'USER.PASSWORD_WEAK', path: 'password', message: 'Te zwak.' }, 'en')).toBe('Te zwak.');
  });

  it('should put a batch item error at its field when the path starts with an index', () => {
    const problem = new ApiProblem(400, 'REQUEST.INVALID', 'x', [
      { code: 'SHAPE.NOT_A_DATE', path: '[2].date', message: 'm', params: { value: '2025-02-30', minYear: 1900, maxYear: 2199 } },
    ]);
    expect(toFormErrors(problem, ['date'], 'nl').fields).toEqual({
      date: ["Datum: '2025-02-30' is geen bestaande datum; gebruik de vorm JJJJ-MM-DD (bijv. 2025-02-10), jaar 1900 tot en met 2199."],
    });
  });
});
