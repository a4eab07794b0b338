// Public API of the pure domain library: plain data in, plain data out; no framework, no I/O.
export * from './model';
export * from './experiment/experiment-rules';
export * from './dates/calendar-date';
