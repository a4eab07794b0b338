import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_FORMATS, REPORT_LANGUAGES, type ReportFormat, type ReportLanguage } from '../report-words';

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_LANGUAGES, default: 'nl', description: 'Language of the report: Dutch (default) or English' })
  @IsOptional()
  @IsIn(REPORT_LANGUAGES, { message: "lang: kies 'nl' (Nederlands) of 'en' (Engels)" })
  lang?: ReportLanguage;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html', description: 'html: one self-contained page; pdf: A4, printed by headless Chromium' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: "format: kies 'html' (webpagina) of 'pdf'" })
  format?: ReportFormat;
}
