import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Provider } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../../core/config/app-config';
import { INDICATORS_QUEUE, JOB, JobResult, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { RecomputeService } from './recompute.service';

/**
 * Runs the recompute jobs of the indicators queue, one at a time. Registered through indicatorsProcessorProvider,
 * which gives it its worker options from the typed configuration.
 */
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

/**
 * The processor with its worker options from the DI-provided AppConfig: a decorator's options are fixed when the
 * file is imported, before the configuration is loaded and validated, so @Processor is applied here, when Nest
 * builds the provider (before the BullMQ explorer creates the worker from it). JOB_LOCK_DURATION_MS is the lock
 * duration of an active job: a killed worker's job is picked up again after it expires.
 */
export const indicatorsProcessorProvider: Provider = {
  provide: IndicatorsProcessor,
  inject: [AppConfig, RecomputeService],
  useFactory: (config: AppConfig, recompute: RecomputeService) => {
    Processor(INDICATORS_QUEUE, {
      concurrency: 1,
      lockDuration: config.JOB_LOCK_DURATION_MS,
      stalledInterval: config.JOB_LOCK_DURATION_MS,
    })(IndicatorsProcessor);
    return new IndicatorsProcessor(recompute);
  },
};
