/**
 * `aigc signer`: keys that never leave their keeper.
 *   keygen  generate a key pair inside a PKCS#11 token and write its public key for `pki issue --public-key`
 *   serve   run a remote-signing gateway (loopback by default) over a key file or a PKCS#11 key
 */
import { t } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { said } from '../../src/errors.ts';
import { writeFile } from 'node:fs/promises';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { parsePkcs11Uri, pinOf } from '../../src/crypto/pkcs11-uri.ts';
import { generatePkcs11KeyPair } from '../../src/crypto/pkcs11-token.ts';
import { publicKeyToPem } from '../../src/crypto/keys.ts';
import { startSigningGateway } from '../../src/crypto/signing-gateway.ts';
import { passphraseFromEnv } from './common.ts';
import { SIGNER_FLAGS, signerFromFlags } from './signer-flags.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'HSM key generation and a remote-signing gateway';

/** Full usage text. */
export const usage = usageText('signer');

async function keygen(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    { key: { type: 'string' }, out: { type: 'string' }, alg: { type: 'string' }, 'pin-env': { type: 'string' } },
    usage,
  );
  if (positionals.length) throw usageError(said('err.unexpectedArgument', 'unexpected argument {arg}', { arg: positionals[0]! }), usage);
  const uri = parsePkcs11Uri(required(v.key, '--key', usage));
  const alg = (v.alg ?? 'es256') as 'es256';
  if (!['es256', 'es384', 'es512', 'ed25519'].includes(alg))
    throw InvalidArgumentError.expected('es256 | es384 | es512 | ed25519', '--alg', v.alg);
  const pin = passphraseFromEnv(v['pin-env'], '--pin-env') ?? (await pinOf(uri));
  const publicKey = await generatePkcs11KeyPair(uri, alg, pin);
  const out = required(v.out, '--out', usage);
  await writeFile(out, publicKeyToPem(publicKey));
  process.stdout.write(
    `${t(cliLang(), 'tools.signer.generated', { alg, object: String(uri.object), token: uri.token ?? '', path: out })}\n`,
  );
  return EXIT.OK;
}

async function serve(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    {
      ...SIGNER_FLAGS,
      host: { type: 'string' },
      port: { type: 'string' },
      'token-env': { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw usageError(said('err.unexpectedArgument', 'unexpected argument {arg}', { arg: positionals[0]! }), usage);
  if (v['remote-signer'] !== undefined)
    throw usageError(said('err.cli.signerServe', 'signer serve signs with --key, not --remote-signer'), usage);
  const port = v.port === undefined ? 0 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw InvalidArgumentError.expected('a port from 0 to 65535', '--port', v.port);
  const token = passphraseFromEnv(v['token-env'], '--token-env');
  const { signer, close } = await signerFromFlags(v, usage);
  const gw = await startSigningGateway({ signer, host: v.host ?? '127.0.0.1', port, ...(token ? { token } : {}) });
  process.stdout.write(`${gw.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gw.close();
  close();
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { keygen, serve };

/** Run `aigc signer`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const fn = sub ? SUBCOMMANDS[sub] : undefined;
  if (!fn)
    throw usageError(said('err.cli.subcommand', 'expected a subcommand: {names}', { names: Object.keys(SUBCOMMANDS).join(' | ') }), usage);
  return fn(rest);
}
