/**
 * How many typed errors a CLI user can read in Chinese (issue #16 item 2): every construction of a
 * typed error in src/ and cli/ either gives its message through the catalogue (`said(…)` or a
 * `detail`) or is counted here as still English-only. The share of the rest may not rise above
 * what is left today (12 of 732: helpers in src/manifest/ that pass on another error's text, and the PKCS#11 key probe), and
 * the areas listed in FULL (the CLI, the service and server, files, every container format, keys,
 * certificates, time-stamps, OCSP, the log, labels, the watermark, ffmpeg) have none.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from '../helpers.ts';

const TYPED =
  /new (MalformedInputError|UnsupportedFormatError|LimitExceededError|InvalidArgumentError|ManifestNotFoundError|MultipleManifestsError|SigningError|KeyError|CertificateError|IoError|ExternalToolError|RefusedError)\(/g;

/** Constructions the scan cannot read as said, each with why: [file, a piece of its arguments]. */
const EXEMPT: [string, string][] = [
  // The message a verification report already carries (its own text) is printed as it is.
  ['cli/batch/verify-task.ts', 'report.error'],
  ['cli/commands/inspect.ts', 'report.error'],
  ['cli/commands/decide.ts', 'incoming.error'],
  // Node's own parseArgs message when it is none of the shapes reworded with a key.
  ['cli/args.ts', "msg.split('\\n', 1)[0]!"],
  // Functions and variables that hold a `said(…)` message.
  ['src/binary/atomic-write.ts', 'outputErrorMessage(target, err)'],
  ['src/binary/byte-source.ts', 'message, path, { cause }'],
  ['src/service/signing-aids.ts', 'unknown'],
  ['src/formats/common/label-only.ts', 'c2paUndefinedMessage(name)'],
  ['src/formats/common/exif.ts', "'exif', msg, at"],
  ['src/verify/engine/trust-settings.ts', 'message'],
  ['src/labels/implicit/xml-scan.ts', "'xmp', msg, at"],
  ['src/manifest/cbor-walk.ts', "'cbor', msg, at"],
];

/** Files whose every typed error must be said through the catalogue. */
const FULL = [
  'cli/',
  'src/service/',
  'src/server/',
  'src/binary/',
  'src/formats/',
  'src/binding/',
  'src/crypto/keys.ts',
  'src/crypto/local-signer.ts',
  'src/crypto/remote-signer.ts',
  'src/crypto/pkcs11-token.ts',
  'src/pki/',
  'src/tsa/',
  'src/ocsp/',
  'src/net/',
  'src/tlog/',
  'src/labels/explicit/',
  'src/labels/provider-code.ts',
  'src/labels/implicit/',
  'src/labels/security-data.ts',
  'src/watermark/',
  'src/media/',
  'src/repository/',
  'src/report/',
  'src/verify/engine/trust-settings.ts',
];

/** The share of typed-error constructions still without a catalogue message (lower it as more are said). */
const MAX_UNSAID_SHARE = 0.0165;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The argument text of the call opening at `start` (just after its `(`), by bracket depth. */
function argsOf(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i);
    }
  }
  return text.slice(start);
}

function scan(): { total: number; unsaid: { file: string; line: number; text: string }[] } {
  let total = 0;
  const unsaid: { file: string; line: number; text: string }[] = [];
  for (const f of [...sources(repo('src')), ...sources(repo('cli'))]) {
    const rel = path.relative(repo(), f).split(path.sep).join('/');
    if (rel === 'src/errors.ts') continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(TYPED)) {
      total++;
      const args = argsOf(text, m.index + m[0].length);
      if (/\bsaid\(|\bdetail\b/.test(args)) continue;
      // Their default messages are said through the catalogue.
      if (/Manifest(s|NotFound)Error/.test(m[0]) && args.trim() === '') continue;
      if (EXEMPT.some(([file, piece]) => file === rel && args.includes(piece))) continue;
      const line = text.slice(0, m.index).split('\n').length;
      unsaid.push({ file: rel, line, text: `${m[0]}${args.replace(/\s+/g, ' ').slice(0, 90)}` });
    }
  }
  return { total, unsaid };
}

describe('typed errors said in both languages', () => {
  const { total, unsaid } = scan();

  it('finds the throw sites it measures', () => {
    expect(total).toBeGreaterThan(500);
  });

  it('leaves no English-only error in the areas a CLI user meets first', () => {
    const left = unsaid.filter((u) => FULL.some((p) => u.file.startsWith(p)));
    expect(left.map((u) => `${u.file}:${u.line} ${u.text}`)).toEqual([]);
  });

  it(`keeps the English-only share at or below ${MAX_UNSAID_SHARE}`, () => {
    const share = unsaid.length / total;
    const list = unsaid.map((u) => `${u.file}:${u.line}`).join('\n');
    expect(share, `${unsaid.length} of ${total} typed errors have no catalogue message:\n${list}`).toBeLessThanOrEqual(MAX_UNSAID_SHARE);
  });
});
