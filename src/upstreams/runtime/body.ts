import { once } from 'node:events';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

export class BodyTooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly seenBytes: number,
    readonly declared: boolean,
  ) {
    super(`response body exceeds ${limitBytes} bytes (${declared ? 'declared' : 'received'} ${seenBytes})`);
    this.name = 'BodyTooLargeError';
  }
}

export class BodyDecodeError extends Error {
  constructor(encoding: string, cause: unknown) {
    super(`cannot decode ${encoding} body: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BodyDecodeError';
  }
}

export const ACCEPT_ENCODING = 'gzip, deflate';

/** Drops a body we will not read; undici reports the resulting abort as an 'error' nobody else listens to. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** "deflate" is meant to be zlib-wrapped, but servers also send raw deflate: look at the first byte. */
async function peekFirstByte(body: Readable): Promise<number | undefined> {
  for (;;) {
    const chunk = body.read() as Buffer | null;
    if (chunk !== null) {
      body.unshift(chunk);
      return chunk[0];
    }
    if (body.readableEnded || body.destroyed) return undefined;
    await once(body, 'readable');
  }
}

function decoderFor(encoding: string, firstByte: number | undefined): Transform | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      // zlib streams start with CMF whose low nibble is 8 (deflate method)
      return firstByte !== undefined && (firstByte & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new BodyDecodeError(encoding, new Error('unsupported content-encoding'));
  }
}

/**
 * Reads a response body into one Buffer, decompressing on the way, and stops — destroying the
 * socket — as soon as more than `maxBytes` arrive. The limit applies to the decoded bytes (a
 * small gzip bomb is as dangerous as a big body) and to a declared Content-Length up front, so
 * an oversize response never costs more than `maxBytes` of memory.
 */
export async function readLimitedBody(
  body: Readable,
  headers: Record<string, string | string[] | undefined>,
  maxBytes: number,
): Promise<Buffer> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(body);
    throw new BodyTooLargeError(maxBytes, declared, true);
  }
  const encHeader = headers['content-encoding'];
  const encodings = (Array.isArray(encHeader) ? encHeader.join(',') : (encHeader ?? ''))
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
  if (encodings.length > 1) {
    discardBody(body);
    throw new BodyDecodeError(encodings.join(', '), new Error('stacked content-encodings are not supported'));
  }
  let decoder: Transform | undefined;
  try {
    const encoding = encodings[0] ?? '';
    decoder = decoderFor(encoding, encoding === 'deflate' ? await peekFirstByte(body) : undefined);
  } catch (e) {
    discardBody(body);
    throw e;
  }

  let source: Readable = body;
  let decodeFailure: Error | undefined;
  if (decoder) {
    decoder.on('error', (e: Error) => {
      // zlib errors carry `errno`; network errors come from the body stream via pipeline.
      if ((e as NodeJS.ErrnoException).errno !== undefined && !decodeFailure) decodeFailure = new BodyDecodeError(encodings[0], e);
    });
    source = pipeline(body, decoder, () => undefined);
  }

  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > maxBytes) {
        throw new BodyTooLargeError(maxBytes, total, false);
      }
      chunks.push(buf);
    }
  } catch (e) {
    discardBody(body);
    decoder?.destroy();
    throw decodeFailure ?? e;
  }
  if (decodeFailure) throw decodeFailure;
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
