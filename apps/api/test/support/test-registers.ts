import { TestContext } from './test-app';

/** The experiment most record specs run in: analysis date 2025-09-30, as in the DOMAIN.md worked example. */
export const TEST_EXPERIMENT = {
  code: 'COPD-2025',
  name: 'Experiment COPD',
  start: '2025-01-01',
  end: '2029-12-31',
  analysisDate: '2025-09-30',
};

export interface Registers {
  insurers: { uzovi: string; name: string }[];
  practices: { agb: string; name: string; region: string }[];
}

/**
 * Creates the experiment (as the evaluator) and the insurers and practices (as the administrator)
 * through the API, each write checked for 201, so a spec starts from real records.
 */
export async function createRegisters(
  ctx: TestContext,
  registers: Registers,
  experiment = TEST_EXPERIMENT,
): Promise<void> {
  await ctx.http().post('/api/v1/experiments').send(experiment).expect(201);
  for (const insurer of registers.insurers)
    await ctx.http('ADMIN').post('/api/v1/insurers').send(insurer).expect(201);
  for (const practice of registers.practices)
    await ctx.http('ADMIN').post('/api/v1/practices').send(practice).expect(201);
}
