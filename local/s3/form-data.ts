// Streaming multipart/form-data reader for browser POST uploads: fields before the file are collected, the file is streamed.
import type { Readable } from 'node:stream';
import { S3Error } from './errors.js';

export interface FormField {
  name: string;
  value: string;
}

export interface FilePart {
  filename: string;
  contentType: string | undefined;
}

const MAX_PART_HEADER_BYTES = 8192;

/** Pull-style reads from a stream, without async iteration (breaking out of which would destroy the request). */
class ChunkReader {
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly signal = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.signal();
  };
  private readonly onError = (error: Error): void => {
    this.failure ??= error;
    this.signal();
  };
  private readonly onClose = (): void => {
    if (!this.ended) this.failure ??= new S3Error('IncompleteBody', 'The connection closed before the form was complete.');
    this.signal();
  };

  constructor(private readonly stream: Readable) {
    stream.on('readable', this.signal);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
  }

  async read(): Promise<Buffer | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.stream.read() as Buffer | null;
      if (chunk !== null) return chunk;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Stops reading; whatever the client still sends (e.g. fields after the file) is discarded. */
  release(): void {
    this.stream.off('readable', this.signal);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onClose);
    this.stream.off('error', this.onError);
    this.stream.on('error', () => undefined);
    this.stream.resume();
  }
}

function dispositionParam(disposition: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

export class FormDataReader {
  private readonly reader: ChunkReader;
  private readonly delimiter: Buffer;
  // Starting with CRLF lets the first boundary be found with the same "\r\n--boundary" search as the others.
  private buf: Buffer = Buffer.from('\r\n');

  constructor(
    stream: Readable,
    boundary: string,
    private readonly maxFieldBytes: number,
  ) {
    this.reader = new ChunkReader(stream);
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Reads more input until `test` finds something in the buffer, failing if `limit` bytes pass without it. */
  private async fillUntil(needle: Buffer, limit: number, tooLarge: () => S3Error): Promise<number> {
    for (;;) {
      const index = this.buf.indexOf(needle);
      if (index >= 0) return index;
      if (this.buf.length > limit) throw tooLarge();
      const chunk = await this.reader.read();
      if (chunk === null) throw new S3Error('MalformedPOSTRequest');
      this.buf = Buffer.concat([this.buf, chunk]);
    }
  }

  /** Collects the fields that precede the file (S3 ignores anything after it) and stops at the file's content. */
  async readFields(): Promise<{ fields: FormField[]; file: FilePart | undefined }> {
    const fields: FormField[] = [];
    let fieldBytes = 0;
    const tooLarge = (): S3Error => new S3Error('MaxPostPreDataLengthExceeded');
    for (;;) {
      const at = await this.fillUntil(this.delimiter, this.maxFieldBytes, tooLarge);
      this.buf = this.buf.subarray(at + this.delimiter.length);
      while (this.buf.length < 2) {
        const chunk = await this.reader.read();
        if (chunk === null) throw new S3Error('MalformedPOSTRequest');
        this.buf = Buffer.concat([this.buf, chunk]);
      }
      if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) return { fields, file: undefined };
      if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) throw new S3Error('MalformedPOSTRequest');
      this.buf = this.buf.subarray(2);
      const headerEnd = await this.fillUntil(Buffer.from('\r\n\r\n'), MAX_PART_HEADER_BYTES, () => new S3Error('MalformedPOSTRequest'));
      const headers = new Map<string, string>();
      for (const line of this.buf.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      this.buf = this.buf.subarray(headerEnd + 4);
      const disposition = headers.get('content-disposition') ?? '';
      const name = dispositionParam(disposition, 'name');
      if (name === undefined) throw new S3Error('MalformedPOSTRequest');
      if (name.toLowerCase() === 'file') {
        return { fields, file: { filename: dispositionParam(disposition, 'filename') ?? '', contentType: headers.get('content-type') } };
      }
      const end = await this.fillUntil(this.delimiter, this.maxFieldBytes - fieldBytes, tooLarge);
      const value = this.buf.subarray(0, end).toString('utf8');
      fieldBytes += end + name.length;
      if (fieldBytes > this.maxFieldBytes) throw tooLarge();
      fields.push({ name, value });
      this.buf = this.buf.subarray(end);
    }
  }

  /** The file's bytes, streamed; a boundary split across chunks is caught by holding back a delimiter's length. */
  async *fileContent(): AsyncGenerator<Buffer> {
    const keep = this.delimiter.length - 1;
    for (;;) {
      const index = this.buf.indexOf(this.delimiter);
      if (index >= 0) {
        if (index > 0) yield this.buf.subarray(0, index);
        this.buf = this.buf.subarray(index);
        return;
      }
      if (this.buf.length > keep) {
        yield this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(this.buf.length - keep);
      }
      const chunk = await this.reader.read();
      if (chunk === null) throw new S3Error('MalformedPOSTRequest', 'The file field was not terminated by a boundary.');
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    }
  }

  release(): void {
    this.reader.release();
  }
}
