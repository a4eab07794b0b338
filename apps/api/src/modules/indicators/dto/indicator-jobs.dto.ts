import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { ClosedSchema, nullableRef } from '../../../core/http/closed-schema';

/** BullMQ's job states, and 'unknown' while the queue does not answer. */
export const JOB_STATES = ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

@ClosedSchema('The last recompute of the facts')
export class LastComputedDto {
  @ApiProperty({ example: '2026-10-01T08:00:00.000Z' }) computedAt!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ description: 'Patients whose facts it rebuilt' }) patients!: number;
  @ApiProperty({ description: 'Every patient of the experiment (not only the changed ones)' }) full!: boolean;
  @ApiProperty() durationMs!: number;
}

@ClosedSchema('Changes committed but not yet in the facts')
export class OutboxBacklogDto {
  @ApiProperty() rows!: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the oldest waiting change was committed' })
  oldest!: string | null;
}

@ClosedSchema('A recompute job the queue holds (active, waiting, delayed or prioritized)')
export class QueuedJobDto {
  @ApiProperty({ example: 'recompute:0b6f...:42' }) id!: string;
  @ApiProperty({ example: 'indicators.recompute-experiment' }) name!: string;
  @ApiProperty({ description: 'Percent done' }) progress!: number;
  @ApiProperty() attempts!: number;
}

@ClosedSchema()
@ApiExtraModels(LastComputedDto)
export class IndicatorStatusDto {
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty(nullableRef(LastComputedDto, 'null before the first recompute'))
  lastComputed!: LastComputedDto | null;
  @ApiProperty({ type: OutboxBacklogDto }) outboxBacklog!: OutboxBacklogDto;
  @ApiProperty({ description: 'false while Redis does not answer; jobs is then empty' }) queueReachable!: boolean;
  @ApiProperty({ type: [QueuedJobDto] }) jobs!: QueuedJobDto[];
}

@ClosedSchema('What a finished recompute did')
export class JobResultDto {
  @ApiProperty({ enum: ['DONE', 'NOTHING_TO_DO'] }) status!: 'DONE' | 'NOTHING_TO_DO';
  @ApiProperty() patients!: number;
  @ApiProperty() full!: boolean;
  @ApiProperty({ description: 'Outbox rows it took' }) outboxRows!: number;
}

@ClosedSchema()
@ApiExtraModels(JobResultDto)
export class IndicatorJobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'indicators.recompute-experiment' }) name!: string;
  @ApiProperty({ enum: JOB_STATES, enumName: 'JobState' }) state!: JobStateName;
  @ApiProperty({ description: 'Percent done' }) progress!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'null while the queue does not answer' })
  attempts!: number | null;
  @ApiProperty(nullableRef(JobResultDto, 'Once completed')) result!: JobResultDto | null;
  @ApiProperty({ nullable: true, type: String }) failedReason!: string | null;
  @ApiProperty({ description: 'false while Redis does not answer: state is then "unknown"' }) queueReachable!: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Only while the queue does not answer: how many of the changes the job covers still wait (0: they are in the figures)',
  })
  pendingChanges!: number | null;
}

@ClosedSchema('The queue took the recompute job: follow it at GET /indicators/jobs/{jobId}')
export class RecomputeQueuedDto {
  @ApiProperty({ enum: [true] }) queued!: true;
  @ApiProperty() jobId!: string;
}

@ClosedSchema('The recompute is recorded but the queue did not take it now; it starts by itself once the queue is back')
export class RecomputeNotQueuedDto {
  @ApiProperty({ enum: [false] }) queued!: false;
  @ApiProperty({ enum: ['QUEUE.UNAVAILABLE'] }) reason!: 'QUEUE.UNAVAILABLE';
  @ApiProperty({ description: 'What it means for the figures, in Dutch' }) detail!: string;
}

export type RecomputeAnswerDto = RecomputeQueuedDto | RecomputeNotQueuedDto;
