/**
 * The toolkit's typed error model. Every failure that leaves the library is a
 * {@link ToolkitError} (or a subclass) carrying a stable machine-readable `code`,
 * a human `message` and an optional `cause`. Verification problems are *not*
 * errors: they are status codes in the report (see `verify/`).
 */

/** Stable error codes. */
export type ErrorCode =
  | 'MALFORMED_INPUT'
  | 'UNSUPPORTED_FORMAT'
  | 'LIMIT_EXCEEDED'
  | 'INVALID_ARGUMENT'
  | 'MANIFEST_NOT_FOUND'
  | 'MULTIPLE_MANIFESTS'
  | 'SIGNING_FAILED'
  | 'KEY_ERROR'
  | 'CERTIFICATE_ERROR'
  | 'IO_ERROR'
  | 'EXTERNAL_TOOL'
  | 'REFUSED';

/**
 * What a message says, as data: a key of the message catalogue (`src/i18n/`) and its parameters,
 * so that the CLI can print the error in the user's language. The `message` stays English.
 */
export interface ErrorDetail {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * A message said through the catalogue: its key, its parameters and the English text the library
 * prints (the catalogue's English template filled with the parameters). Build it with {@link said}.
 */
export interface Said extends ErrorDetail {
  readonly text: string;
}

/**
 * A typed error's message as catalogue data: `template` is the English text with `{name}`
 * placeholders (test/i18n/catalogue.test.ts checks it equals the catalogue's English entry for
 * `key`), filled from `params` to give the library's English message; the CLI prints the
 * catalogue's entry in the user's language instead. Pass it where an error takes its message.
 */
export function said(key: string, template: string, params: Readonly<Record<string, string | number>> = {}): Said {
  const text = template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  return { key, params, text };
}

/** The English text of a message given as a string or as {@link Said}. */
function textOf(message: string | Said): string {
  return typeof message === 'string' ? message : message.text;
}

/** The options with the detail a {@link Said} message carries (an explicit `detail` wins). */
function withDetail(message: string | Said, options: ErrorOptions | undefined): ErrorOptions | undefined {
  if (typeof message === 'string' || options?.detail) return options;
  return { ...options, detail: { key: message.key, params: message.params } };
}

/** Options every typed error takes. */
export interface ErrorOptions {
  readonly cause?: unknown;
  /** The message as a catalogue key and parameters (see {@link ErrorDetail}). */
  readonly detail?: ErrorDetail;
}

/** Base class of every error thrown by aigc-provenance. */
export class ToolkitError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The message as a catalogue key and parameters, when the thrower gave them (not enumerable: errors compare and serialise as before). */
  declare readonly detail: ErrorDetail | undefined;
  constructor(code: ErrorCode, message: string | Said, options?: ErrorOptions) {
    super(textOf(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // The name registered with nameErrorClasses (a minifying bundler renames classes), else the class's own.
    this.name = Object.hasOwn(new.target.prototype, 'name') ? (new.target.prototype as Error).name : new.target.name;
    Object.defineProperty(this, 'detail', { value: withDetail(message, options)?.detail, enumerable: false });
  }
}

/** Bytes that do not follow their format. `format` names the grammar, `offset` the byte position. */
export class MalformedInputError extends ToolkitError {
  readonly format: string;
  readonly offset: number | undefined;
  constructor(format: string, message: string | Said, offset?: number, options?: ErrorOptions) {
    super(
      'MALFORMED_INPUT',
      `${format}: ${textOf(message)}${offset === undefined ? '' : ` (at byte ${offset})`}`,
      withDetail(message, options),
    );
    this.format = format;
    this.offset = offset;
  }
}

/** The input is of a format the toolkit does not handle. */
export class UnsupportedFormatError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('UNSUPPORTED_FORMAT', message, options);
  }
}

/** A named safety limit (see `binary/limits.ts`) was exceeded. */
export class LimitExceededError extends ToolkitError {
  readonly limit: string;
  constructor(limit: string, message: string | Said, options?: ErrorOptions) {
    super('LIMIT_EXCEEDED', `${textOf(message)} (limit ${limit})`, withDetail(message, options));
    this.limit = limit;
  }
}

/** A caller passed a bad option. Message follows "Expected X for name but received Y". */
export class InvalidArgumentError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
  }
  /** Build the uniform message `Expected <expected> for <name> but received <actual>`. */
  static expected(expected: string, name: string, actual: unknown): InvalidArgumentError {
    const params = { expected, name, actual: describe(actual) };
    return new InvalidArgumentError(`Expected ${expected} for ${name} but received ${params.actual}`, {
      detail: { key: 'err.expected', params },
    });
  }
}

/** No C2PA manifest store is present in the asset. */
export class ManifestNotFoundError extends ToolkitError {
  constructor(message: string | Said = said('err.manifest.none', 'no C2PA manifest store found'), options?: ErrorOptions) {
    super('MANIFEST_NOT_FOUND', message, options);
  }
}

/** More than one embedded manifest store (the spec treats this as none). */
export class MultipleManifestsError extends ToolkitError {
  constructor(
    message: string | Said = said('err.manifest.multiple', 'more than one C2PA manifest store is embedded'),
    options?: ErrorOptions,
  ) {
    super('MULTIPLE_MANIFESTS', message, options);
  }
}

/** Signing could not be completed (key/certificate mismatch, unsupported algorithm...). */
export class SigningError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('SIGNING_FAILED', message, options);
  }
}

/** A private or public key could not be read, decrypted or used. */
export class KeyError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('KEY_ERROR', message, options);
  }
}

/** A certificate or CRL could not be parsed or does not fit its role. */
export class CertificateError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('CERTIFICATE_ERROR', message, options);
  }
}

/** A file could not be read or written. */
export class IoError extends ToolkitError {
  readonly path: string | undefined;
  constructor(message: string | Said, path?: string, options?: ErrorOptions) {
    super('IO_ERROR', message, options);
    this.path = path;
  }
}

/** An external program (ffmpeg, ffprobe) is missing or failed. */
export class ExternalToolError extends ToolkitError {
  constructor(message: string | Said, options?: ErrorOptions) {
    super('EXTERNAL_TOOL', message, options);
  }
}

/**
 * The toolkit's policy refuses what the caller asked by default: signing over an upload that
 * fails verification, replacing an existing key or output file. `flag` names the CLI flag
 * (and the message the option) that overrides it.
 */
export class RefusedError extends ToolkitError {
  readonly flag: string;
  constructor(message: string | Said, flag: string, options?: ErrorOptions) {
    super('REFUSED', message, options);
    this.flag = flag;
  }
}

/**
 * Give each error class its public name, as the keys of `classes` spell it: the built CLI is
 * minified without keeping function names (esbuild's `keepNames` would re-name every closure each
 * time it is made, about 3 % of a batch verify), so `new.target.name` alone would read `e` there.
 * Every exported ToolkitError subclass is registered (test/errors.test.ts checks it).
 */
export function nameErrorClasses(classes: Readonly<Record<string, abstract new (...args: never[]) => ToolkitError>>): void {
  for (const [name, cls] of Object.entries(classes))
    Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}

nameErrorClasses({
  ToolkitError,
  MalformedInputError,
  UnsupportedFormatError,
  LimitExceededError,
  InvalidArgumentError,
  ManifestNotFoundError,
  MultipleManifestsError,
  SigningError,
  KeyError,
  CertificateError,
  IoError,
  ExternalToolError,
  RefusedError,
});

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `array of ${value.length}`;
  return typeof value;
}

/** Wrap an unknown thrown value: ToolkitErrors pass through, anything else becomes `fallback(cause)`. */
export function asToolkitError(err: unknown, fallback: (cause: unknown) => ToolkitError): ToolkitError {
  return err instanceof ToolkitError ? err : fallback(err);
}
