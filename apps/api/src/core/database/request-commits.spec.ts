import type { ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DataSource, TransactionCommitEvent } from 'typeorm';
import { AppError } from '../errors/app-error';
import { databaseUnavailable } from '../errors/database-errors';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { CommitMarker, requestCommitted, trackRequestCommits } from './request-commits';

// The real path (a PATCH whose re-read fails after COMMIT in PostgreSQL) is apps/api/test/error-after-commit.int-spec.ts;
// this spec covers the branches a real database cannot be made to produce on cue.

const commitEvent = (stillInTransaction: boolean) =>
  ({ queryRunner: { isTransactionActive: stillInTransaction } }) as unknown as TransactionCommitEvent;

/** Runs `work` as a request: inside the middleware's context, with the awaits a service would have. */
async function inRequest(work: (marker: CommitMarker) => Promise<void>): Promise<Request> {
  const marker = new CommitMarker({ subscribers: [] } as unknown as DataSource);
  const req = { url: '/api/v1/patients', originalUrl: '/api/v1/patients' } as Request;
  await new Promise<void>((resolve, reject) =>
    trackRequestCommits(req, {} as Response, () => {
      void (async () => {
        await new Promise((r) => setTimeout(r, 1));
        await work(marker);
      })().then(resolve, reject);
    }),
  );
  return req;
}

function answer(exception: unknown, req: Request): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
  const res = {
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(text: string) {
      sent.body = JSON.parse(text);
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  const filter = new ProblemDetailsFilter();
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return sent;
}

describe('request commits and the 5xx answer', () => {
  it('should mark the request when its outermost transaction commits after an await', async () => {
    const req = await inRequest(async (marker) => marker.afterTransactionCommit(commitEvent(false)));
    expect(requestCommitted(req)).toBe(true);
  });

  it('should not mark the request when only a savepoint is released or nothing commits', async () => {
    const savepoint = await inRequest(async (marker) => marker.afterTransactionCommit(commitEvent(true)));
    expect(requestCommitted(savepoint)).toBe(false);
    const readOnly = await inRequest(async () => undefined);
    expect(requestCommitted(readOnly)).toBe(false);
  });

  it('should mark nothing when a transaction commits outside any request (the worker, the CLI)', async () => {
    const marker = new CommitMarker({ subscribers: [] } as unknown as DataSource);
    const req = await inRequest(async () => undefined);
    marker.afterTransactionCommit(commitEvent(false));
    expect(requestCommitted(req)).toBe(false);
  });

  it('should answer 500 INTERNAL.AFTER_COMMIT without Retry-After when the database goes away after the commit', async () => {
    const req = await inRequest(async (marker) => marker.afterTransactionCommit(commitEvent(false)));
    const sent = answer(databaseUnavailable(), req);
    expect(sent.status).toBe(500);
    expect(sent.headers['Retry-After']).toBeUndefined();
    expect(sent.body).toMatchObject({ code: 'INTERNAL.AFTER_COMMIT', status: 500, instance: '/api/v1/patients' });
    expect(sent.body.detail).toMatch(/^Uw wijziging is opgeslagen/);
  });

  it('should keep the 503 with Retry-After when the database is unavailable and nothing committed', async () => {
    const req = await inRequest(async () => undefined);
    const sent = answer(databaseUnavailable(), req);
    expect(sent).toMatchObject({ status: 503, headers: { 'Retry-After': '5' }, body: { code: 'SERVICE.DATABASE_UNAVAILABLE' } });
  });

  it('should keep a 4xx as it is when it is thrown after a commit', async () => {
    const req = await inRequest(async (marker) => marker.afterTransactionCommit(commitEvent(false)));
    const sent = answer(new AppError('NOT_FOUND', 'PATIENT.NOT_FOUND', 'Patient x bestaat niet.'), req);
    expect(sent).toMatchObject({ status: 404, body: { code: 'PATIENT.NOT_FOUND', detail: 'Patient x bestaat niet.' } });
  });
});
