/**
 * `aigc tsa serve` — a development RFC 3161 time-stamping authority over HTTP, signing with
 * a TSA certificate from `aigc pki issue-tsa`. Thin over `src/tsa/server.ts`.
 */
import { t } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { said } from '../../src/errors.ts';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { loadPrivateKey, readPkiFile } from '../../src/crypto/keys.ts';
import { parseCertificateChain } from '../../src/pki/certificate.ts';
import { startTsaServer } from '../../src/tsa/server.ts';
import { passphraseFromEnv } from './common.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'run an RFC 3161 time-stamping authority (development / own TSA)';

/** Full usage text. */
export const usage = usageText('tsa');

/** Parse a port number. @throws {InvalidArgumentError} when out of range. */
export function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw InvalidArgumentError.expected('a port from 0 to 65535', '--port', value);
  return n;
}

/** Wait for SIGINT/SIGTERM, then run `stop`. */
export function untilInterrupted(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const done = () => void stop().then(() => resolve(EXIT.OK));
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Run `aigc tsa <sub-command>`.
 * @throws {InvalidArgumentError} on usage errors; typed errors from loading the key and certificate.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'serve')
    throw sub
      ? usageError(said('err.cli.unknownSub', "unknown {command} sub-command '{sub}'", { command: 'tsa', sub }), usage)
      : usageError(said('err.cli.missingSub', 'missing {command} sub-command', { command: 'tsa' }), usage);
  const { values: v, positionals } = parse(
    rest,
    {
      cert: { type: 'string' },
      key: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      policy: { type: 'string' },
      'passphrase-env': { type: 'string' },
    },
    usage,
  );
  if (positionals.length)
    throw usageError(said('err.cli.unexpectedQuoted', "unexpected argument '{arg}'", { arg: positionals[0]! }), usage);
  const certPath = required(v.cert, '--cert', usage);
  const passphrase = passphraseFromEnv(v['passphrase-env']);
  const chain = parseCertificateChain(await readPkiFile(certPath, 'TSA certificate chain'), certPath);
  const key = await loadPrivateKey({ keyPath: required(v.key, '--key', usage), ...(passphrase ? { passphrase } : {}) });
  if (v.policy !== undefined && !/^\d+(\.\d+)+$/.test(v.policy)) throw InvalidArgumentError.expected('a dotted OID', '--policy', v.policy);
  const server = await startTsaServer({
    chain,
    key,
    ...(v.host ? { host: v.host } : {}),
    port: port(v.port, 3161),
    ...(v.policy ? { policy: v.policy } : {}),
  });
  process.stdout.write(`${t(cliLang(), 'tools.tsa.listening', { url: server.url, subject: chain[0]!.subject.text })}\n`);
  return untilInterrupted(() => server.close());
}
