/**
 * The trust part of a c2patool / c2pa-rs settings file (`--settings`), in JSON or TOML:
 *
 * ```toml
 * [trust]
 * user_anchors  = """-----BEGIN CERTIFICATE----- …"""   # added to the lists (signers and TSAs)
 * trust_anchors = """…"""        # replaces the bundled C2PA trust list
 * tsa_anchors   = """…"""        # ours: replaces the bundled C2PA TSA trust list
 * allowed_list  = """…"""        # end-entity PEMs or base64 SHA-256 lines
 * trust_config  = """1.3.6.1.5.5.7.3.4"""   # extra signer EKU OIDs, one per line
 * default_trust = false           # ours: do not use the bundled lists
 * ```
 *
 * Values are the PEM or text itself, as c2pa-rs reads them. Only the TOML the c2pa-rs
 * documentation uses is read: `[table]` headers, `key = value` with basic, literal and
 * multi-line strings, booleans and numbers, and comments; arrays and inline tables outside
 * `[trust]` (other sections of a c2patool settings file) are skipped.
 */
import { InvalidArgumentError, type Said, said } from '../../errors.ts';
import type { TrustOptions } from './trust-options.ts';

type Tables = Record<string, Record<string, unknown>>;

/** Longest settings file read (the lists inside are PEM text). */
export const MAX_SETTINGS_BYTES = 16 * 1024 * 1024;

function fail(message: Said): never {
  throw new InvalidArgumentError(message);
}

/** Parse the TOML subset described in the module comment into tables of values. */
export function parseSettingsToml(text: string): Tables {
  const out: Tables = { '': {} };
  let table = out[''];
  let tableName = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      tableName = header[1]!;
      table = out[tableName] ??= {};
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv)
      fail(
        said('err.settings.read', 'settings: cannot read {text} (line {line})', { text: JSON.stringify(line.slice(0, 40)), line: i + 1 }),
      );
    const [, key, rest] = kv;
    let value: unknown;
    const quote = rest!.startsWith('"""') ? '"""' : rest!.startsWith("'''") ? "'''" : undefined;
    if (quote) {
      let body = rest!.slice(3);
      const start = i;
      while (!body.includes(quote)) {
        if (++i >= lines.length)
          fail(said('err.settings.string', 'settings: unterminated {quote} string (line {line})', { quote, line: start + 1 }));
        body += `\n${lines[i]}`;
      }
      value = body.slice(0, body.indexOf(quote)).replace(/^\n/, '');
    } else if (/^"(?:[^"\\]|\\.)*"\s*(#.*)?$/.test(rest!)) {
      value = JSON.parse(rest!.replace(/\s*#.*$/, ''));
    } else if (/^'[^']*'\s*(#.*)?$/.test(rest!)) {
      value = rest!.slice(1, rest!.indexOf("'", 1));
    } else {
      const bare = rest!.replace(/\s*#.*$/, '');
      if (bare === 'true' || bare === 'false') value = bare === 'true';
      else if (/^-?\d+(\.\d+)?$/.test(bare)) value = Number(bare);
      else if (tableName === 'trust')
        fail(said('err.settings.value', 'settings: unsupported value for {key} (line {line})', { key, line: i + 1 }));
      else {
        // Arrays and inline tables of other sections (c2patool's [core], [builder]…) are skipped.
        let depth = 0;
        for (let j = i; j < lines.length; j++) {
          for (const ch of lines[j]!) depth += ch === '[' || ch === '{' ? 1 : ch === ']' || ch === '}' ? -1 : 0;
          if (depth <= 0) {
            i = j;
            break;
          }
        }
        continue;
      }
    }
    table![key!] = value;
  }
  return out;
}

function text(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(said('err.settings.notString', 'settings: trust.{key} must be a string', { key }));
  return v.trim() ? v : undefined;
}

/**
 * Trust options from a settings file's text (JSON when it starts with `{`, else TOML).
 * @throws {InvalidArgumentError} for unreadable settings or values of the wrong type.
 */
export function trustOptionsFromSettings(content: string): TrustOptions {
  if (content.length > MAX_SETTINGS_BYTES)
    fail(said('err.settings.large', 'settings: file larger than MAX_SETTINGS_BYTES ({max})', { max: MAX_SETTINGS_BYTES }));
  let tables: Tables;
  if (content.trimStart().startsWith('{')) {
    try {
      tables = JSON.parse(content) as Tables;
    } catch (err) {
      fail(said('err.settings.json', 'settings: not valid JSON: {reason}', { reason: (err as Error).message }));
    }
  } else tables = parseSettingsToml(content);
  const t = (tables.trust ?? {}) as Record<string, unknown>;
  if (typeof t !== 'object') fail(said('err.settings.table', 'settings: trust must be a table'));
  const defaultTrust = t.default_trust;
  if (defaultTrust !== undefined && typeof defaultTrust !== 'boolean')
    fail(said('err.settings.default', 'settings: trust.default_trust must be true or false'));
  const out: { -readonly [K in keyof TrustOptions]: TrustOptions[K] } = {};
  const user = text(t.user_anchors, 'user_anchors');
  const list = text(t.trust_anchors, 'trust_anchors');
  const tsa = text(t.tsa_anchors, 'tsa_anchors');
  const allowed = text(t.allowed_list, 'allowed_list');
  const ekus = text(t.trust_config, 'trust_config');
  if (user) out.anchorsPem = user;
  if (list) out.trustListPem = list;
  if (tsa) out.tsaTrustListPem = tsa;
  if (allowed) out.allowedListPem = allowed;
  if (ekus) out.ekus = ekus;
  if (defaultTrust === false) out.defaultTrust = false;
  out.sourceNames = {
    ...(user ? { anchors: 'settings user_anchors' } : {}),
    ...(list ? { trustList: 'settings trust_anchors' } : {}),
    ...(tsa ? { tsaTrustList: 'settings tsa_anchors' } : {}),
  };
  return out;
}
