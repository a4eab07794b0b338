import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';

/**
 * Whether the request being served has committed a database transaction. The problem+json filter needs it to
 * answer a 500 honestly (issue 11): when the failure comes after the commit (the re-read that builds the answer),
 * the change is stored, and telling the user "er is niets opgeslagen" would have them send it again.
 *
 * No write path has to take part: TypeORM announces every commit to its subscribers, and the request is found
 * through AsyncLocalStorage, which follows the awaits from the route handler down to the COMMIT.
 */
interface CommitState {
  committed: boolean;
}

const current = new AsyncLocalStorage<CommitState>();
const STATE = Symbol('request-commits');
type TrackedRequest = Request & { [STATE]?: CommitState };

/** Middleware for every route: opens the request's record before its guards and handler run. */
export function trackRequestCommits(req: Request, _res: Response, next: NextFunction): void {
  const state: CommitState = { committed: false };
  // Kept on the request too, so the filter reads it without depending on the async context it is called in.
  (req as TrackedRequest)[STATE] = state;
  current.run(state, next);
}

/** Whether a transaction of this request has committed; false for a request that was not tracked. */
export function requestCommitted(req: Request): boolean {
  return (req as TrackedRequest)[STATE]?.committed === true;
}

/** Marks the current request when one of its transactions commits (outside a request, e.g. in the worker, nothing). */
@Injectable()
export class CommitMarker implements EntitySubscriberInterface {
  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // Releasing a savepoint inside a still open transaction stores nothing yet; only the outermost COMMIT does.
    if (event.queryRunner.isTransactionActive) return;
    const state = current.getStore();
    if (state) state.committed = true;
  }
}
