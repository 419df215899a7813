// Uploading a plan's file. The platform reads urlencoded forms and JSON only;
// the routes that take a file are registered inside their own scope, which
// also reads multipart forms (a GOV.UK file upload posted without
// JavaScript: parsed by the standard library's own FormData reader, no
// dependency) and, for the API, the raw file sent as text/csv, .xlsx or .ods.
// A multipart form's fields sit on the body like a urlencoded form's, so the
// platform's CSRF check finds `_csrf` there as it does on every other form.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Problem } from '../../platform/web/errors.ts';
import { mediaTypes } from './model.ts';

export interface UploadedFile {
  readonly kind: 'file';
  /** The name the browser sent (only its extension is used). */
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
}

export const isUploadedFile = (value: unknown): value is UploadedFile => typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'file';

/** A multipart body as fields (a repeated field becomes a list, as formbody does) and files. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, string | string[] | UploadedFile>> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new Problem('bad-request', 'The form could not be read');
  }
  const fields: Record<string, string | string[] | UploadedFile> = {};
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    if (values.length === 1 && typeof values[0] !== 'string') {
      const file = values[0] as File;
      fields[name] = { kind: 'file', name: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) };
    } else {
      const texts = values.filter((value): value is string => typeof value === 'string');
      fields[name] = texts.length === 1 ? texts[0]! : texts;
    }
  }
  return fields;
}

/** Registers `routes` in a scope that also reads multipart forms and raw spreadsheet files, up to `limit` bytes. */
export function withUploads(app: FastifyInstance, limit: number, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: limit }, async (request: FastifyRequest, body: Buffer | string) => parseMultipart(String(request.headers['content-type']), body as Buffer));
    scope.addContentTypeParser([...new Set([...Object.values(mediaTypes), 'application/csv'])], { parseAs: 'buffer', bodyLimit: limit }, async (_request: unknown, body: Buffer | string) => body);
    routes(scope);
  });
}
