import busboy, { type Busboy } from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Writable } from 'node:stream';
import type { Actor } from '../../core/actor/actor';
import { AppError, payloadTooLarge, unauthenticated } from '../../core/errors/app-error';
import { MULTIPART_PATHS } from '../../core/http/request-guards';
import { BODY_OWNED } from '../../core/http/streamed-json-body';
import type { SourceFile } from './source-records';

/** The form fields and files of an upload, as the import controller reads them. */
export interface UploadedForm {
  fields: Record<string, string>;
  files: SourceFile[];
}

export type UploadRequest = Request & { actor?: Actor; upload?: UploadedForm; [BODY_OWNED]?: boolean };

export interface MultipartUploadOptions {
  limitBytes: number;
  authenticate: (req: Request) => Promise<Actor | null>;
  mayUpload: (actor: Actor) => boolean;
}


const MAX_FILES = 100;
const MAX_FIELD_BYTES = 1024 * 1024;

/**
 * The upload routes' body (issue 10 H2 kept): the declared size is checked, the caller is authenticated from its
 * headers before a byte of the body is read, and only a role that may import gets its body parsed, file by file,
 * counting bytes against IMPORT_BODY_LIMIT. Anything but multipart/form-data is refused with 415; a broken
 * multipart body with 400 IMPORT.MULTIPART_INVALID. The guard reuses request.actor.
 */
export function multipartUpload(options: MultipartUploadOptions): RequestHandler {
  return (req: UploadRequest, _res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !MULTIPART_PATHS.test(req.originalUrl.split('?')[0])) return next();
    req[BODY_OWNED] = true;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.limitBytes) return next(payloadTooLarge());
    options.authenticate(req).then(
      (actor) => {
        if (!actor) return next(unauthenticated());
        req.actor = actor;
        if (!options.mayUpload(actor)) return next();
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (type !== 'multipart/form-data') return next(multipartRequired());
        readForm(req, options.limitBytes).then(
          (form) => {
            req.upload = form;
            req.body = form.fields;
            next();
          },
          (error: unknown) => next(error),
        );
      },
      (error: unknown) => next(error),
    );
  };
}

function readForm(req: Request, limitBytes: number): Promise<UploadedForm> {
  return new Promise((resolve, reject) => {
    let parser: Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limitBytes, files: MAX_FILES, fields: 20, fieldSize: MAX_FIELD_BYTES, parts: MAX_FILES + 20 } });
    } catch {
      return reject(malformed());
    }
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    const files: SourceFile[] = [];
    let received = 0;
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser as unknown as Writable);
      req.resume();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(payloadTooLarge());
      if (name === '__proto__' || name.includes('\u0000') || value.includes('\u0000')) return fail(malformed());
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      // A form cut off inside a file ends that file's stream with an error: the upload is malformed.
      stream.on('error', () => fail(malformed()));
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limitBytes) {
          stream.resume();
          return fail(payloadTooLarge());
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.truncated) return fail(payloadTooLarge());
        if (name === 'files' || name === 'file') files.push({ name: safeName(info.filename, files.length), content: Buffer.concat(chunks) });
      });
    });
    parser.on('filesLimit', () => fail(payloadTooLarge()));
    parser.on('partsLimit', () => fail(payloadTooLarge()));
    parser.on('fieldsLimit', () => fail(malformed()));
    parser.on('error', () => fail(malformed()));
    parser.on('close', () => {
      if (!failed) resolve({ fields: { ...fields }, files });
    });
    req.on('aborted', () => fail(new AppError('INVALID_REQUEST', 'REQUEST.ABORTED', 'Het verzenden werd afgebroken voordat het bestand compleet was.')));
    req.pipe(parser as unknown as Writable);
  });
}

/** The file's own name without directories (a report names it; nothing is ever written under it). */
function safeName(name: string | undefined, index: number): string {
  const base = (name ?? '').split(/[\\/]/).pop()?.replace(/[\u0000-\u001f]/g, '').trim() ?? '';
  return base === '' ? `file-${index + 1}` : base.slice(0, 200);
}

function malformed(): AppError {
  return new AppError('INVALID_REQUEST', 'IMPORT.MULTIPART_INVALID', 'De upload kon niet worden gelezen (geen geldig multipart-formulier). Kies de bestanden opnieuw en probeer het nog eens.');
}

function multipartRequired(): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'IMPORT.MULTIPART_REQUIRED', 'Stuur de bestanden als formulier met bijlagen (multipart/form-data), in het veld "files".');
}
