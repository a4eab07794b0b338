// Public API of the pure domain library: plain data in, plain data out; no framework, no I/O.
export * from './model';
export * from './experiment/experiment-rules';
export * from './dates/calendar-date';
export * from './identity/bsn';
export * from './identity/care-codes';
export * from './validation/violation-codes';
export * from './validation/contract-rules';
export * from './validation/enrolment-rules';
export * from './validation/session-rules';
export * from './validation/measurement-rules';
export * from './validation/event-rules';
export * from './validation/duplicate-keys';
export * from './pricing/care-quarters';
export * from './pricing/pricing';
export * from './pricing/guideline-constants';
