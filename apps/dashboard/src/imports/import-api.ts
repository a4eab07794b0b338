import i18next from 'i18next';
import { ApiProblem, notifyUnauthorized, Violation } from '../api/client';
import type { CsvKind, ImportFormat, ImportMapping, ImportProgress, ImportReport } from './import-types';

/** What an upload sends (dry run and confirm send the same files and mapping; the confirm adds the digest and reason). */
export interface ImportUpload {
  format: ImportFormat;
  kind?: CsvKind;
  mapping?: ImportMapping;
  files: File[];
  digest?: string;
  reason?: string;
}

/** The multipart body of POST /api/v1/imports/dry-run and /confirm (shared15.md item 5). */
export function importForm(upload: ImportUpload): FormData {
  const form = new FormData();
  form.append('format', upload.format);
  if (upload.format === 'csv' && upload.kind) form.append('kind', upload.kind);
  if (upload.mapping && hasMapping(upload.mapping)) form.append('mapping', JSON.stringify(upload.mapping));
  if (upload.digest) form.append('digest', upload.digest);
  if (upload.reason) form.append('reason', upload.reason);
  for (const file of upload.files) form.append('files', file, file.name);
  return form;
}

/** A mapping that says nothing is not sent (the API then reads the source alone). */
export function hasMapping(mapping: ImportMapping): boolean {
  return Boolean(mapping.practice || mapping.insurer || Object.values(mapping.patients ?? {}).some((p) => Object.keys(p).length > 0));
}

type Line = { progress: ImportProgress } | { report: ImportReport } | { problem: ProblemBody };
interface ProblemBody {
  status?: number;
  code?: string;
  detail?: string;
  title?: string;
  errors?: Violation[];
}

/**
 * Splits a streamed answer into its JSON lines as the chunks arrive: returns the complete lines of `buffer + chunk`
 * and the unfinished rest, which waits for the next chunk (a line may be cut anywhere, even inside a character).
 */
export function splitLines(buffer: string, chunk: string): { lines: string[]; rest: string } {
  const parts = (buffer + chunk).split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((l) => l.trim()).filter((l) => l.length > 0), rest };
}

function problemOf(status: number, body: ProblemBody | undefined, statusText: string): ApiProblem {
  const p = body ?? {};
  return new ApiProblem(p.status ?? status, p.code ?? `HTTP.${status}`, p.detail ?? p.title ?? statusText, p.errors ?? []);
}

/**
 * Posts an upload with `Accept: application/x-ndjson` and follows the streamed answer: every progress line goes to
 * `onProgress`, the report line is the result, a problem line (or a refused request) is raised as an ApiProblem.
 */
export async function postImport(path: '/api/v1/imports/dry-run' | '/api/v1/imports/confirm', upload: ImportUpload, onProgress: (p: ImportProgress) => void, signal?: AbortSignal): Promise<ImportReport> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/x-ndjson, application/json;q=0.9', 'accept-language': i18next.language === 'en' ? 'en' : 'nl' },
    body: importForm(upload),
    signal,
  });
  if (!response.ok) {
    if (response.status === 401) notifyUnauthorized();
    let body: ProblemBody | undefined;
    try {
      body = (await response.json()) as ProblemBody;
    } catch {
      body = undefined;
    }
    throw problemOf(response.status, body, response.statusText);
  }
  // An API that answers one JSON document (no stream) gives the report at once.
  if (!(response.headers.get('content-type') ?? '').includes('ndjson') || !response.body) {
    const body = (await response.json()) as ImportReport | { report: ImportReport };
    return 'report' in body ? body.report : body;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  let report: ImportReport | undefined;
  const take = (lines: string[]) => {
    for (const text of lines) {
      const line = JSON.parse(text) as Line;
      if ('progress' in line) onProgress(line.progress);
      else if ('report' in line) report = line.report;
      else if ('problem' in line) throw problemOf(response.status, line.problem, response.statusText);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const split = splitLines(rest, value);
    rest = split.rest;
    take(split.lines);
  }
  take(splitLines(rest, '\n').lines);
  if (!report) throw new ApiProblem(response.status, 'IMPORT.NO_REPORT', i18next.t('imports.noReport'));
  return report;
}
