import { detailIn, errorsIn } from './problem-texts';

describe('problem details in the request language', () => {
  it('should keep the Dutch detail when the request is Dutch', () => {
    expect(detailIn('De meting is niet geldig; zie "errors".', 'nl', true)).toBe('De meting is niet geldig; zie "errors".');
  });

  it('should give the English text of a known detail, with its values, when the request is English', () => {
    expect(detailIn('De meting is niet geldig; zie "errors".', 'en', true)).toBe('The measurement is not valid; see "errors".');
    expect(detailIn('Patient 42 bestaat niet.', 'en', false)).toBe('Patient 42 does not exist.');
    expect(detailIn('Praktijk 12345678 heeft in dit experiment al een patiënt met nummer (ref) A-1.', 'en', false)).toBe(
      'Practice 12345678 already has a patient with number (ref) A-1 in this experiment.',
    );
  });

  it('should point to the translated errors, or keep the Dutch, when an English request meets an unknown detail', () => {
    expect(detailIn('Iets nieuws; zie "errors".', 'en', true)).toBe('The request was refused; see "errors" for each reason.');
    expect(detailIn('Iets nieuws zonder velden.', 'en', false)).toBe('Iets nieuws zonder velden.');
  });

  it('should word the field errors by code in English and leave an unknown code as written', () => {
    const errors = [
      { code: 'SHAPE.REQUIRED', path: 'sex', message: 'Geslacht ontbreekt; vul dit veld in.', params: { value: null } },
      { code: 'USER.PASSWORD_WEAK', path: 'password', message: 'Te zwak.' },
    ];
    expect(errorsIn(errors, 'en').map((e) => e.message)).toEqual(['Sex is missing; please fill it in.', 'Te zwak.']);
    expect(errorsIn(errors, 'nl')).toEqual(errors);
  });
});
