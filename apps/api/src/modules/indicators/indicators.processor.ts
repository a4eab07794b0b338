import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { INDICATORS_QUEUE, JOB, JobResult, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { RecomputeService } from './recompute.service';

/** Lock duration of an active job (ms): a killed worker's job is picked up again after it expires. */
const LOCK_DURATION_MS = Number(process.env.JOB_LOCK_DURATION_MS ?? 30_000);

@Processor(INDICATORS_QUEUE, { concurrency: 1, lockDuration: LOCK_DURATION_MS, stalledInterval: LOCK_DURATION_MS })
export class IndicatorsProcessor extends WorkerHost {
  constructor(private readonly recompute: RecomputeService) {
    super();
  }

  async process(job: Job<RecomputeExperimentPayload>): Promise<JobResult> {
    switch (job.name) {
      case JOB.RECOMPUTE_EXPERIMENT:
        return this.recompute.recompute(job.data.experimentId, job.data.upToOutboxId, (p) => job.updateProgress(p));
      default:
        // A job nobody handles is a deployment error: fail it loudly so it stays visible.
        throw new Error(`No handler for job ${job.name}`);
    }
  }
}
