// Not part of the suite (only clean-stop.int-spec.ts runs it, with a Jest config of its own): a test that is
// still running, in a Jest worker, when the `npm test` around it is stopped.
test('should still be running when npm test is stopped', () => new Promise((resolve) => setTimeout(resolve, 300000)));
