/**
 * PEM armour (RFC 7468): encode, decode one block or a bundle of blocks, and tell PEM
 * from DER. Only the framing lives here; what is inside is parsed by `certificate.ts`
 * and `crl.ts`.
 */
import { CertificateError, LimitExceededError, said } from '../errors.ts';
import { MAX_PEM_BLOCKS, MAX_PEM_BYTES } from '../binary/limits.ts';

/** One armoured block. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `X509 CRL`, `PRIVATE KEY`. */
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Encode DER bytes as a PEM block with 64-column lines. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Whether `data` looks like PEM text (starts, after whitespace, with `-----BEGIN`). */
export function isPem(data: string | Uint8Array): boolean {
  const head = typeof data === 'string' ? data.slice(0, 256) : Buffer.from(data.subarray(0, 256)).toString('latin1');
  return /^\s*-----BEGIN /.test(head) || /-----BEGIN [A-Z0-9 ]+-----/.test(head);
}

/**
 * Decode every PEM block in `text` (text between blocks, such as openssl's
 * "subject=" lines, is ignored).
 * @throws {CertificateError} on a block whose labels differ or whose base64 is invalid, or when no block is found.
 * @throws {LimitExceededError} above MAX_PEM_BYTES or MAX_PEM_BLOCKS.
 */
export function decodePemBundle(text: string | Uint8Array, what = 'PEM input'): PemBlock[] {
  const size = typeof text === 'string' ? text.length : text.length;
  if (size > MAX_PEM_BYTES)
    throw new LimitExceededError(
      'MAX_PEM_BYTES',
      said('err.limit.fileSize', '{what} is {size} bytes, more than {max}', { what, size, max: MAX_PEM_BYTES }),
    );
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  const out: PemBlock[] = [];
  for (const m of s.matchAll(BLOCK)) {
    const [, begin, body, end] = m;
    if (begin !== end)
      throw new CertificateError(
        said('err.pem.mismatch', '{what}: PEM block BEGIN {begin} ends with END {end}', { what, begin: begin!, end: end! }),
      );
    if (out.length >= MAX_PEM_BLOCKS)
      throw new LimitExceededError(
        'MAX_PEM_BLOCKS',
        said('err.limit.pemBlocks', '{what} has more than {max} PEM blocks', { what, max: MAX_PEM_BLOCKS }),
      );
    const b64 = body!.replace(/\s+/g, '');
    if (body!.includes(':'))
      throw new CertificateError(
        said('err.pem.headers', '{what}: PEM block {label} has RFC 1421 headers (legacy encrypted PEM is not supported)', {
          what,
          label: begin!,
        }),
      );
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0 || b64.length === 0) {
      throw new CertificateError(
        said('err.pem.base64', '{what}: PEM block {label} does not contain valid base64', { what, label: begin! }),
      );
    }
    out.push({ label: begin!, der: new Uint8Array(Buffer.from(b64, 'base64')) });
  }
  if (out.length === 0) {
    if (s.includes('-----BEGIN'))
      throw new CertificateError(said('err.pem.unterminated', '{what}: PEM block is not terminated (no matching -----END line)', { what }));
    throw new CertificateError(said('err.pem.none', '{what}: no PEM block found', { what }));
  }
  return out;
}

/**
 * Accept either PEM text (possibly several blocks with `label`) or raw DER; return DER values.
 * @throws {CertificateError} when PEM is given but holds no block labelled `label`.
 * @throws {LimitExceededError} above the PEM limits.
 */
export function derBlocks(data: string | Uint8Array, label: string, what = 'input'): Uint8Array[] {
  if (typeof data !== 'string' && !isPem(data)) {
    if (data.length === 0 || data[0] !== 0x30)
      throw new CertificateError(
        said('err.pem.neither', '{what} is neither PEM (no -----BEGIN {label}----- line) nor DER', { what, label }),
      );
    return [data];
  }
  const blocks = decodePemBundle(data, what);
  const wanted = blocks.filter((b) => b.label === label);
  if (wanted.length === 0) {
    throw new CertificateError(
      said('err.pem.label', '{what}: expected PEM blocks labelled {label} but found {found}', {
        what,
        label,
        found: [...new Set(blocks.map((b) => b.label))].join(', '),
      }),
    );
  }
  return wanted.map((b) => b.der);
}
