import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/actor/actor';
import type { ImportResult, ProgressListener } from '../exchange/exchange-document';
import { ExchangeService } from '../exchange/exchange.service';
import { DemoOptions, generateExperiment } from './demo-generator';

export type SeedResult = { skipped: true; reason: string } | ({ skipped: false } & ImportResult);

/** Seeds a demo experiment through the ordinary import, so generated data is validated like any document. */
@Injectable()
export class DemoDataService {
  constructor(private readonly exchange: ExchangeService) {}

  async seed(actor: Actor, options: DemoOptions & { ifEmpty?: boolean }, onProgress: ProgressListener = () => undefined): Promise<SeedResult> {
    if (options.ifEmpty && (await this.exchange.hasExperiments())) {
      return { skipped: true, reason: 'Er bestaat al een experiment; niets gegenereerd.' };
    }
    onProgress({ phase: 'generate', done: 0, total: 1 });
    const document = generateExperiment(options);
    onProgress({ phase: 'generate', done: 1, total: 1 });
    return { skipped: false, ...(await this.exchange.importDocument(actor, document, onProgress)) };
  }
}
