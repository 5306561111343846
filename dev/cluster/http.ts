import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, failure, badRequest } from './status';
import { ProtobufDecodeError, decodeProtobufBody, isProtobufContentType } from './protobuf';

/** The apiserver's default request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, error: StatusError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.status.code, error.status);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Decodes a request body sent as JSON or as Kubernetes protobuf (kubectl sends some kinds only as protobuf). */
export function decodeObject(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw badRequest('the request body is empty; an object was expected');
  if (isProtobufContentType(contentType)) {
    try {
      return decodeProtobufBody(body);
    } catch (error) {
      if (error instanceof StatusError) throw error;
      if (error instanceof ProtobufDecodeError && error.code === 415) {
        throw failure(415, 'UnsupportedMediaType', error.message);
      }
      throw badRequest(`unable to decode protobuf body: ${(error as Error).message}`);
    }
  }
  const type = (contentType ?? 'application/json').split(';')[0].trim();
  if (type !== 'application/json' && type !== '*/*' && type !== '') {
    throw failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** kubectl get asks for `application/json;as=Table;v=v1;g=meta.k8s.io`; answer a Table then. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export function queryFlag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1';
}

export function queryInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)} is not an integer`);
  return n;
}
