import { Client } from 'pg';

export interface BenchAuth {
  headers: Record<string, string>;
}

/** How the benchmark authenticates against the API it started (an evaluator). */
export async function benchActor(_db: Client, _api: string): Promise<BenchAuth> {
  return { headers: {} };
}
