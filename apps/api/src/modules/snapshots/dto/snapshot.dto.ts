import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ClosedSchema } from '../../../core/http/closed-schema';
import { ComparisonDto } from '../../indicators/dto/comparison.dto';

export class CreateSnapshotDto {
  @ApiPropertyOptional({
    description: 'Experiment code; may be omitted when there is only one',
    example: 'COPD-DEMO',
  })
  @IsOptional()
  @IsString()
  experiment?: string;

  @ApiProperty({
    example: 'Monitoringsrapportage 2026-Q3',
    description: 'What the snapshot is for, 1-200 characters',
  })
  @IsString({ message: 'label: geef een omschrijving van 1 tot 200 tekens' })
  @Length(1, 200, { message: 'label: geef een omschrijving van 1 tot 200 tekens' })
  label!: string;
}

export class SnapshotListQueryDto {
  @ApiPropertyOptional({
    description: 'Experiment code; may be omitted when there is only one',
    example: 'COPD-DEMO',
  })
  @IsOptional()
  @IsString()
  experiment?: string;
}

export class SnapshotChangesQueryDto {
  @ApiPropertyOptional({
    description:
      "What to compare the snapshot with: 'now' (default) or the id of another snapshot of the same experiment",
    example: 'now',
  })
  @IsOptional()
  @Matches(/^(now|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: "to: 'now' of het id van een andere momentopname",
  })
  to?: string;
}

@ClosedSchema('Input records per table, as frozen')
export class RecordCountsDto {
  @ApiProperty() experiments!: number;
  @ApiProperty() insurers!: number;
  @ApiProperty() practices!: number;
  @ApiProperty() contracts!: number;
  @ApiProperty() patients!: number;
  @ApiProperty() therapy_sessions!: number;
  @ApiProperty() measurements!: number;
  @ApiProperty() events!: number;
}

@ClosedSchema('A frozen snapshot of an experiment as of its analysis date')
export class SnapshotDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ example: 'Monitoringsrapportage 2026-Q3' }) label!: string;
  @ApiProperty({ example: '2026-10-01T08:00:00.000Z' }) takenAt!: string;
  @ApiProperty({ example: 'evaluator@nza.example' }) takenBy!: string;
  @ApiProperty({
    example: 'copd-bundle-tracker 0.1.0 (3787820)',
    description: 'Version of the code that computed the figures',
  })
  codeVersion!: string;
  @ApiProperty({ description: 'When the facts behind the figures were computed' }) factsComputedAt!: string;
  @ApiProperty({
    example: '9f2c…',
    description:
      'SHA-256 over the per-table digests of every input record in canonical order (README: Snapshots)',
  })
  inputDigest!: string;
  @ApiProperty({ type: RecordCountsDto }) records!: RecordCountsDto;
}

@ClosedSchema('The comparison of the patients of one insurer, as frozen')
export class InsurerComparisonDto {
  @ApiProperty({ example: '3311' }) uzovi!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ComparisonDto }) comparison!: ComparisonDto;
}

@ClosedSchema('The comparison of the patients of one region, as frozen')
export class RegionComparisonDto {
  @ApiProperty({ example: 'Noord' }) region!: string;
  @ApiProperty({ type: ComparisonDto }) comparison!: ComparisonDto;
}

@ClosedSchema('A snapshot with its frozen comparisons: overall, per insurer and per region')
export class SnapshotDetailDto {
  @ApiProperty({ type: SnapshotDto }) snapshot!: SnapshotDto;
  @ApiProperty({ type: ComparisonDto }) comparison!: ComparisonDto;
  @ApiProperty({ type: [InsurerComparisonDto] }) byInsurer!: InsurerComparisonDto[];
  @ApiProperty({ type: [RegionComparisonDto] }) byRegion!: RegionComparisonDto[];
}

@ClosedSchema('A figure of the overall comparison that differs between the two sides')
export class FigureChangeDto {
  @ApiProperty({ example: 'PAID_PER_CARE_QUARTER' }) code!: string;
  @ApiProperty({
    example: 'BUNDLE.value',
    description:
      'ARM.n|value|ciLow|ciHigh, difference.value|ciLow|ciHigh|mdd, clustered.difference.ciLow|ciHigh',
  })
  figure!: string;
  @ApiProperty({ nullable: true, type: Number }) before!: number | null;
  @ApiProperty({ nullable: true, type: Number }) after!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'after - before' }) change!: number | null;
}

@ClosedSchema('Records added, corrected and deleted between the two sides')
export class RecordChangeCountsDto {
  @ApiProperty() added!: number;
  @ApiProperty({
    description: "Added records dated on or before the earlier side's analysis date (late registrations)",
  })
  late!: number;
  @ApiProperty({ description: 'Same record, other content (a correction)' }) corrected!: number;
  @ApiProperty() deleted!: number;
}

@ClosedSchema('Record changes of one table at one practice')
export class TableChangeDto {
  @ApiProperty({ example: 'therapy_sessions' }) table!: string;
  @ApiProperty({ type: RecordChangeCountsDto }) counts!: RecordChangeCountsDto;
}

@ClosedSchema(
  "Record changes counted per practice (sessions, measurements and events at their patient's practice)",
)
export class PracticeChangesDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: '12345678',
    description: 'Null for records of no practice (insurers, the experiment)',
  })
  agb!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ type: RecordChangeCountsDto }) total!: RecordChangeCountsDto;
  @ApiProperty({ type: [TableChangeDto] }) tables!: TableChangeDto[];
}

@ClosedSchema('One side of a snapshot comparison: a snapshot, or the data now')
export class ChangeSideDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null for now' }) snapshotId!: string | null;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ nullable: true, type: String }) computedAt!: string | null;
  @ApiProperty({
    description: 'Now only: changes wait to be recomputed, so the figures of now are not final',
  })
  stale!: boolean;
}

@ClosedSchema('What changed between a snapshot and now, or between two snapshots')
export class SnapshotChangesDto {
  @ApiProperty({ type: ChangeSideDto }) from!: ChangeSideDto;
  @ApiProperty({ type: ChangeSideDto }) to!: ChangeSideDto;
  @ApiProperty({ type: [FigureChangeDto] }) figures!: FigureChangeDto[];
  @ApiProperty({ type: RecordChangeCountsDto }) total!: RecordChangeCountsDto;
  @ApiProperty({ type: [PracticeChangesDto] }) practices!: PracticeChangesDto[];
}

@ClosedSchema('The snapshot digest recomputed from its own copies')
export class SnapshotVerificationDto {
  @ApiProperty() inputDigest!: string;
  @ApiProperty() recomputedDigest!: string;
  @ApiProperty({ description: 'The copies are what was frozen' }) matches!: boolean;
}
