import { Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { invalidRequest } from '../../../core/errors/app-error';
import { toViolations } from '../../../core/http/validation';
import { CreateSessionDto } from './session.dto';

export const MAX_BATCH = 1000;

/**
 * Shape of an array body of sessions: the global pipe skips arrays, so each item is checked here with the same rules,
 * every failure reported at once with its index in the path ('[3].date').
 */
@Injectable()
export class SessionBatchPipe implements PipeTransform<unknown, CreateSessionDto[]> {
  transform(body: unknown): CreateSessionDto[] {
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
      throw invalidRequest(
        [
          {
            code: 'SHAPE.IS_ARRAY',
            path: '',
            message: `Stuur een lijst van 1 tot ${MAX_BATCH} behandelingen.`,
          },
        ],
        'Het verzoek moet een lijst van behandelingen zijn.',
      );
    }
    const items = body.map((item) => plainToInstance(CreateSessionDto, item as object));
    const violations = items.flatMap((item, i) =>
      typeof item !== 'object' || item === null
        ? [
            {
              code: 'SHAPE.IS_OBJECT',
              path: `[${i}]`,
              message: `[${i}] moet een object zijn met date en kind.`,
            },
          ]
        : toViolations(validateSync(item, { whitelist: true, forbidNonWhitelisted: true }), `[${i}]`),
    );
    if (violations.length > 0)
      throw invalidRequest(violations, 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    return items;
  }
}
