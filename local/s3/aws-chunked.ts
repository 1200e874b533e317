// Decodes `aws-chunked` request bodies (the SDK's STREAMING-UNSIGNED-PAYLOAD-TRAILER framing) and collects their trailers.
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './errors.js';

const MAX_LINE = 4096;
type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;

  /** Collects bytes up to and including LF; returns the line without CRLF once complete. */
  private takeLine(chunk: Buffer, offset: number): { line: string | undefined; offset: number } {
    const nl = chunk.indexOf(0x0a, offset);
    const end = nl < 0 ? chunk.length : nl + 1;
    this.lineLength += end - offset;
    if (this.lineLength > MAX_LINE) throw new S3Error('InvalidRequest', 'aws-chunked framing line too long');
    this.line.push(chunk.subarray(offset, end));
    if (nl < 0) return { line: undefined, offset: end };
    const text = Buffer.concat(this.line).toString('latin1');
    this.line = [];
    this.lineLength = 0;
    if (!text.endsWith('\r\n')) throw new S3Error('InvalidRequest', 'aws-chunked lines must end with CRLF');
    return { line: text.slice(0, -2), offset: end };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let offset = 0;
    try {
      while (offset < chunk.length) {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, chunk.length - offset);
          this.push(chunk.subarray(offset, offset + take));
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-end';
          continue;
        }
        if (this.state === 'done') throw new S3Error('InvalidRequest', 'data after the end of an aws-chunked body');
        const { line, offset: next } = this.takeLine(chunk, offset);
        offset = next;
        if (line === undefined) break;
        this.onLine(line);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'size': {
        // Chunk extensions (e.g. chunk-signature) carry no payload; signed streaming is rejected before decoding.
        const hex = line.split(';', 1)[0]!.trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new S3Error('InvalidRequest', 'invalid aws-chunked chunk size');
        const size = parseInt(hex, 16);
        if (size === 0) this.state = 'trailer';
        else {
          this.remaining = size;
          this.state = 'data';
        }
        return;
      }
      case 'data-end':
        if (line !== '') throw new S3Error('InvalidRequest', 'aws-chunked chunk longer than declared');
        this.state = 'size';
        return;
      case 'trailer': {
        if (line === '') {
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw new S3Error('InvalidRequest', 'malformed aws-chunked trailer');
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
      default:
        throw new S3Error('InvalidRequest', 'unexpected aws-chunked framing');
    }
  }

  override _flush(callback: TransformCallback): void {
    // The SDK ends a trailer-less stream right after "0\r\n", so an open trailer section is a valid end.
    if (this.state === 'done' || (this.state === 'trailer' && this.lineLength === 0)) callback();
    else callback(new S3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk'));
  }
}
