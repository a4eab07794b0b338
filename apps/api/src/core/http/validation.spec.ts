import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsIsoDate } from './is-iso-date.decorator';
import { toViolations } from './validation';

class Tariffs {
  @IsInt()
  @Min(0)
  intake!: number;
}

class Form {
  @IsString()
  @Length(3, 10)
  reason!: string;

  @IsInt()
  @Min(1)
  @Max(6)
  profile!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;

  @IsIn(['F', 'M', 'X'])
  sex!: string;

  @IsOptional()
  @IsIsoDate()
  endDate?: string;

  @ValidateNested()
  @Type(() => Tariffs)
  bundle!: Tariffs;

  @IsOptional()
  @ValidateBy({ name: 'isEven', validator: { validate: (v: unknown) => Number(v) % 2 === 0, defaultMessage: () => 'even: een even getal' } })
  even?: number;
}

const VALID = { reason: 'typfout', profile: 4, sex: 'F', bundle: { intake: 100 } };
const check = (body: Record<string, unknown>) => toViolations(validateSync(plainToInstance(Form, body)));

describe('request shape errors', () => {
  it('should give one error per field with the limits of the DTO when a text is too short or too long', () => {
    expect(check({ ...VALID, reason: 'ab' })).toEqual([
      {
        code: 'SHAPE.TOO_SHORT',
        path: 'reason',
        message: 'Reden is te kort (2 tekens); vul minstens 3 tekens in.',
        params: { value: 'ab', length: 2, min: 3, max: 10 },
      },
    ]);
    expect(check({ ...VALID, reason: 'x'.repeat(11) }).map((v) => [v.code, v.params?.length])).toEqual([['SHAPE.TOO_LONG', 11]]);
    // A number where text belongs fails @IsString and @Length; the type speaks for the field.
    expect(check({ ...VALID, reason: 42 }).map((v) => [v.code, v.params?.value])).toEqual([['SHAPE.NOT_TEXT', 42]]);
  });

  it('should quote both bounds when a number is outside a range with a minimum and a maximum', () => {
    expect(check({ ...VALID, profile: 7 })).toEqual([
      {
        code: 'SHAPE.OUT_OF_RANGE',
        path: 'profile',
        message: 'KNGF-profiel moet tussen 1 en 6 liggen (ingevuld: 7).',
        params: { value: 7, min: 1, max: 6 },
      },
    ]);
    expect(check({ ...VALID, offset: -1 })[0]).toMatchObject({ code: 'SHAPE.OUT_OF_RANGE', params: { value: -1, min: 0 } });
  });

  it('should call a field missing only when it is required, and judge an empty optional field by its type', () => {
    expect(check({ ...VALID, sex: '' })).toEqual([
      { code: 'SHAPE.REQUIRED', path: 'sex', message: 'Geslacht ontbreekt; vul dit veld in.', params: { value: null } },
    ]);
    expect(check({ ...VALID, endDate: '' })[0]).toMatchObject({ code: 'SHAPE.NOT_A_DATE', path: 'endDate', params: { value: '' } });
    expect(check({ ...VALID, sex: 'V' })[0]).toMatchObject({ code: 'SHAPE.NOT_ONE_OF', params: { value: 'V', allowed: 'F, M, X' } });
  });

  it('should give nested fields a dotted path and a check it does not know its own code and text', () => {
    expect(check({ ...VALID, bundle: { intake: 1.5 } })).toEqual([
      {
        code: 'SHAPE.NOT_AN_INTEGER',
        path: 'bundle.intake',
        message: 'Tarief intake: 1,5 is geen geheel getal; vul een geheel getal in (bijv. 3).',
        params: { value: 1.5 },
      },
    ]);
    expect(check({ ...VALID, even: 3 })).toEqual([{ code: 'SHAPE.IS_EVEN', path: 'even', message: 'even: een even getal' }]);
  });
});
