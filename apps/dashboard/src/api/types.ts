// Response shapes of the API routes the dashboard reads (checked against /api/docs-json in tests).
export interface Experiment {
  id: string;
  code: string;
  name: string;
  policyReference: string | null;
  start: string;
  end: string;
  analysisDate: string;
}

export interface Practice {
  id: string;
  agb: string;
  name: string;
  region: string;
}

export interface Contract {
  id: string;
  experiment: string;
  practice: string;
  insurer: string;
  arm: 'BUNDLE' | 'FFS';
  validFrom: string;
  validTo: string;
}
