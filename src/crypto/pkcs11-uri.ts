/**
 * PKCS#11 URIs (RFC 7512), the standard way to name a key in a token:
 *
 *   pkcs11:token=aigc;object=signer;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:AIGC_PIN
 *
 * Path attributes (`;`-separated) select the token and the object; query attributes
 * (`&`-separated) say how to reach it. Values are percent-decoded. Supported path
 * attributes: `token`, `serial`, `manufacturer`, `model`, `slot-id`, `object`, `id`,
 * `type`; query attributes: `module-path`, `pin-value`, `pin-source` (`file:PATH` as
 * RFC 7512 describes, or `env:NAME`, our addition for containers and CI).
 */
import { InvalidArgumentError, said } from '../errors.ts';

/** A parsed PKCS#11 URI. Every field is optional; the signer says which it needs. */
export interface Pkcs11Uri {
  readonly token?: string;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly slotId?: number;
  /** CKA_LABEL of the key. */
  readonly object?: string;
  /** CKA_ID of the key (raw bytes). */
  readonly id?: Uint8Array;
  readonly type?: 'private' | 'public' | 'cert' | 'secret-key' | 'data';
  readonly modulePath?: string;
  readonly pinValue?: string;
  readonly pinSource?: string;
}

const PATH_ATTRS = new Set([
  'token',
  'serial',
  'manufacturer',
  'model',
  'slot-id',
  'object',
  'id',
  'type',
  'library-manufacturer',
  'library-description',
  'library-version',
  'slot-description',
  'slot-manufacturer',
]);
const QUERY_ATTRS = new Set(['module-path', 'module-name', 'pin-value', 'pin-source']);
const TYPES = new Set(['private', 'public', 'cert', 'secret-key', 'data']);
/** Longest URI accepted (a URI is configuration, never data). */
const MAX_URI_LENGTH = 4096;

function decode(value: string, uri: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw InvalidArgumentError.expected('percent-encoding as %XX', 'PKCS#11 URI', uri);
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(...new TextEncoder().encode(ch));
    }
  }
  return Uint8Array.from(out);
}

const text = (value: string, uri: string) => new TextDecoder('utf-8', { fatal: false }).decode(decode(value, uri));

/**
 * Parse an RFC 7512 PKCS#11 URI.
 * @throws {InvalidArgumentError} when it is not a `pkcs11:` URI, repeats or misspells an attribute, or has a bad value.
 */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (typeof uri !== 'string' || !uri.startsWith('pkcs11:'))
    throw InvalidArgumentError.expected('a URI starting with pkcs11:', 'PKCS#11 URI', uri);
  if (uri.length > MAX_URI_LENGTH)
    throw InvalidArgumentError.expected(`a URI of at most ${MAX_URI_LENGTH} characters`, 'PKCS#11 URI', `${uri.length} characters`);
  const body = uri.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const pathPart = q < 0 ? body : body.slice(0, q);
  const queryPart = q < 0 ? '' : body.slice(q + 1);
  const seen = new Map<string, string>();
  const take = (part: string, sep: string, allowed: Set<string>) => {
    for (const item of part.split(sep)) {
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq <= 0) throw InvalidArgumentError.expected('name=value attributes', 'PKCS#11 URI', uri);
      const name = item.slice(0, eq).toLowerCase();
      if (!allowed.has(name)) throw InvalidArgumentError.expected(`one of ${[...allowed].join(', ')}`, 'PKCS#11 URI attribute', name);
      if (seen.has(name)) throw InvalidArgumentError.expected(`each attribute once`, 'PKCS#11 URI attribute', name);
      seen.set(name, item.slice(eq + 1));
    }
  };
  take(pathPart, ';', PATH_ATTRS);
  take(queryPart, '&', QUERY_ATTRS);
  const get = (name: string) => (seen.has(name) ? text(seen.get(name)!, uri) : undefined);
  const slot = get('slot-id');
  if (slot !== undefined && !/^\d{1,19}$/.test(slot)) throw InvalidArgumentError.expected('a decimal slot-id', 'PKCS#11 URI', slot);
  const type = get('type');
  if (type !== undefined && !TYPES.has(type)) throw InvalidArgumentError.expected([...TYPES].join(' | '), 'PKCS#11 URI type', type);
  const fields: Record<string, unknown> = {
    token: get('token'),
    serial: get('serial'),
    manufacturer: get('manufacturer'),
    model: get('model'),
    slotId: slot === undefined ? undefined : Number(slot),
    object: get('object'),
    id: seen.has('id') ? decode(seen.get('id')!, uri) : undefined,
    type,
    modulePath: get('module-path'),
    pinValue: get('pin-value'),
    pinSource: get('pin-source'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Pkcs11Uri;
}

/**
 * The user PIN a URI names: `pin-value`, else `pin-source` (`env:NAME` or `file:PATH`), else `fallback`.
 * @throws {InvalidArgumentError} when the source is unset, unreadable or of an unknown scheme.
 */
export async function pinOf(uri: Pkcs11Uri, fallback?: string): Promise<string | undefined> {
  if (uri.pinValue !== undefined) return uri.pinValue;
  const src = uri.pinSource;
  if (src === undefined) return fallback;
  if (src.startsWith('env:')) {
    const v = process.env[src.slice(4)];
    if (v === undefined || v === '')
      throw InvalidArgumentError.expected(`a non-empty environment variable ${src.slice(4)}`, 'PKCS#11 URI pin-source', v);
    return v;
  }
  if (src.startsWith('file:')) {
    const { readFile } = await import('node:fs/promises');
    try {
      return (await readFile(src.slice(5).replace(/^\/\/(?=\/)/, ''), 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new InvalidArgumentError(
        said('err.key.cannotReadPINFile', 'cannot read the PIN file named by pin-source {src}: {v2}', {
          src,
          v2: (err as NodeJS.ErrnoException).code ?? String(err),
        }),
        { cause: err },
      );
    }
  }
  throw InvalidArgumentError.expected('env:NAME or file:PATH', 'PKCS#11 URI pin-source', src);
}
