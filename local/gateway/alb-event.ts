// An HTTP request as the ALB hands it to a Lambda target (multi-value form), and the Lambda's result
// back onto the wire. ALB quirks kept on purpose: query names and values are passed still URL-encoded,
// header names lower-cased, non-text bodies base64-encoded, request and response bodies capped.
import type { ServerResponse } from 'node:http';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { ALB_MAX_RESPONSE_JSON_BYTES } from '../../contract/limits.js';

/** Content types the ALB passes as plain text; anything else (or any Content-Encoding) goes base64. */
export function isTextBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') return false;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/javascript', 'application/xml'].includes(type);
}

export function splitRawUrl(rawUrl: string): { path: string; rawQuery: string } {
  const q = rawUrl.indexOf('?');
  return q < 0 ? { path: rawUrl || '/', rawQuery: '' } : { path: rawUrl.slice(0, q) || '/', rawQuery: rawUrl.slice(q + 1) };
}

/** `a=1&a=2&b` -> {a: ['1','2'], b: ['']}, nothing decoded (the ALB does not decode either). */
export function parseRawQuery(rawQuery: string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    (params[name] ??= []).push(value);
  }
  return params;
}

/** Node's rawHeaders [name, value, name, value...] -> lower-case multi-value map, order kept. */
export function multiValueHeaders(rawHeaders: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) (headers[rawHeaders[i]!.toLowerCase()] ??= []).push(rawHeaders[i + 1]!);
  return headers;
}

export interface AlbEventInput {
  method: string;
  rawUrl: string;
  /** Lower-case multi-value headers, already prepared by the gateway (identity and forwarding headers set). */
  headers: Record<string, string[]>;
  body: Buffer;
  targetGroupArn: string;
}

export function toAlbEvent(input: AlbEventInput): ALBEvent {
  const { path, rawQuery } = splitRawUrl(input.rawUrl);
  const text = isTextBody(input.headers['content-type']?.[0], input.headers['content-encoding']?.[0]);
  return {
    requestContext: { elb: { targetGroupArn: input.targetGroupArn } },
    httpMethod: input.method.toUpperCase(),
    path,
    multiValueQueryStringParameters: parseRawQuery(rawQuery),
    multiValueHeaders: input.headers,
    body: input.body.length === 0 ? '' : input.body.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: input.body.length > 0 && !text,
  };
}

/** Headers the ALB computes itself rather than taking from the target. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export function resultHeaders(result: ALBResult): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (result.multiValueHeaders) {
    for (const [name, values] of Object.entries(result.multiValueHeaders)) headers[name.toLowerCase()] = values.map(String);
  } else {
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = [String(value)];
  }
  for (const name of HOP_HEADERS) delete headers[name];
  return headers;
}

export function resultBody(result: ALBResult): Buffer {
  return Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
}

/** Writes a Lambda result, or the ALB's 502 when the result is malformed or too large. */
export function writeAlbResult(res: ServerResponse, result: ALBResult, extraHeaders: Record<string, string[]> = {}): void {
  if (!result || typeof result.statusCode !== 'number' || Buffer.byteLength(JSON.stringify(result)) > ALB_MAX_RESPONSE_JSON_BYTES) {
    writePlain(res, 502, '502 Bad Gateway');
    return;
  }
  const headers = resultHeaders(result);
  for (const [name, values] of Object.entries(extraHeaders)) headers[name] = [...(headers[name] ?? []), ...values];
  const body = resultBody(result);
  for (const [name, values] of Object.entries(headers)) res.setHeader(name, values.length === 1 ? values[0]! : values);
  res.setHeader('content-length', body.length);
  res.writeHead(result.statusCode);
  res.end(body);
}

export function writePlain(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
