/**
 * `aigc pki` — the service certificate authority: init, issue, revoke, crl, show, verify.
 * Thin: parses arguments, calls `src/pki`, prints results. Errors are typed and mapped to
 * exit codes by `cli/main.ts`.
 */
import { said } from '../../src/errors.ts';
import { passphraseFromEnv } from './common.ts';
import path from 'node:path';
import { access } from 'node:fs/promises';
import { issueServiceCertificateFor, type ServiceCertKind } from '../../src/pki/tsa-cert.ts';
import { startOcspServer } from '../../src/ocsp/responder.ts';
import { caResponderOptions } from '../../src/ocsp/ca-responder.ts';
import { port, untilInterrupted } from './tsa.ts';
import { parse, required, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { parseKeyAlgorithm, readPkiFile } from '../../src/crypto/keys.ts';
import { initCa, issueForPublicKey, issueServiceCertificate } from '../../src/pki/ca.ts';
import { revokeCertificate, writeCrl } from '../../src/pki/revocation.ts';
import { parseCertificates, parseCertificateChain } from '../../src/pki/certificate.ts';
import { parseCrls } from '../../src/pki/crl.ts';
import { readTrustStore } from '../../src/pki/trust.ts';
import { verifyCertificateChain } from '../../src/pki/chain.ts';
import { formatCertificateSummary, summarizeCertificate } from '../../src/pki/summary.ts';
import { SERVICE_ROLES, type ServiceRole } from '../../src/pki/identity.ts';
import { translator } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { explanationText } from '../../src/verify/render/text-tree.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'certificate authority, service, TSA and OCSP certificates; OCSP responder';

/** Full usage text. */
export const usage = usageText('pki');

function days(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw InvalidArgumentError.expected('a positive whole number of days', flag, value);
  return n;
}

function role(value: string | undefined): ServiceRole | undefined {
  if (value === undefined) return undefined;
  if (!(SERVICE_ROLES as readonly string[]).includes(value)) throw InvalidArgumentError.expected('producer or propagator', '--role', value);
  return value as ServiceRole;
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0)
    throw usageError(said('err.cli.unexpectedQuoted', "unexpected argument '{arg}'", { arg: positionals[0]! }), usage);
}

const out = (s: string): void => void process.stdout.write(`${s}\n`);

async function init(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    {
      out: { type: 'string' },
      alg: { type: 'string' },
      org: { type: 'string' },
      'passphrase-env': { type: 'string' },
      force: { type: 'boolean' },
    },
    usage,
  );
  noPositionals(positionals);
  const outDir = required(v.out, '--out', usage);
  const passphrase = passphraseFromEnv(v['passphrase-env'], '--passphrase-env');
  const ca = await initCa({
    outDir,
    ...(v.alg ? { alg: parseKeyAlgorithm(v.alg, '--alg') } : {}),
    ...(v.org ? { org: v.org } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(v.force ? { force: true } : {}),
  });
  const tr = translator(cliLang());
  out(`${tr('tools.pki.created', { dir: outDir })}${passphrase ? tr('tools.pki.keysEncrypted') : ''}`);
  out(tr('tools.pki.root', { subject: ca.root.subject.text, file: ca.files.root, key: ca.files.rootKey }));
  out(tr('tools.pki.intermediate', { subject: ca.intermediate.subject.text, file: ca.files.intermediate, key: ca.files.intermediateKey }));
  out(tr('tools.pki.validUntil', { root: ca.root.notAfter.toISOString(), intermediate: ca.intermediate.notAfter.toISOString() }));
  return EXIT.OK;
}

async function issue(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    {
      ca: { type: 'string' },
      out: { type: 'string' },
      service: { type: 'string' },
      org: { type: 'string' },
      code: { type: 'string' },
      role: { type: 'string' },
      alg: { type: 'string' },
      days: { type: 'string' },
      'ocsp-url': { type: 'string' },
      'passphrase-env': { type: 'string' },
      'ca-passphrase-env': { type: 'string' },
      'public-key': { type: 'string' },
      force: { type: 'boolean' },
    },
    usage,
  );
  if (v['ocsp-url'] !== undefined && !/^https?:\/\/[^\s/]+/i.test(v['ocsp-url']))
    throw InvalidArgumentError.expected('an http(s) URL', '--ocsp-url', v['ocsp-url']);
  noPositionals(positionals);
  const publicKeyPem = v['public-key'] === undefined ? undefined : await readPkiFile(v['public-key'], 'public key (--public-key)');
  const keyPassphrase = passphraseFromEnv(v['passphrase-env'], '--passphrase-env');
  const caPassphrase =
    v['ca-passphrase-env'] !== undefined ? passphraseFromEnv(v['ca-passphrase-env'], '--ca-passphrase-env') : keyPassphrase;
  const d = days(v.days, '--days');
  const r = role(v.role);
  const common = {
    caDir: required(v.ca, '--ca', usage),
    outDir: required(v.out, '--out', usage),
    service: required(v.service, '--service', usage),
    org: required(v.org, '--org', usage),
    code: required(v.code, '--code', usage),
    ...(r ? { role: r } : {}),
    ...(d ? { days: d } : {}),
    ...(caPassphrase ? { caPassphrase } : {}),
    ...(v.force ? { force: true } : {}),
    ...(v['ocsp-url'] ? { ocspUrl: v['ocsp-url'] } : {}),
  };
  const res = publicKeyPem
    ? { ...(await issueForPublicKey({ ...common, publicKeyPem })), keyPath: undefined }
    : await issueServiceCertificate({
        ...common,
        ...(v.alg ? { alg: parseKeyAlgorithm(v.alg, '--alg') } : {}),
        ...(keyPassphrase ? { keyPassphrase } : {}),
      });
  const tr = translator(cliLang());
  out(tr('tools.pki.issued', { subject: res.cert.subject.text }));
  out(
    tr('tools.pki.serial', { serial: res.cert.serialNumber, from: res.cert.notBefore.toISOString(), to: res.cert.notAfter.toISOString() }),
  );
  out(tr('tools.pki.chain', { path: res.chainPath }));
  out(
    res.keyPath
      ? tr(keyPassphrase ? 'tools.pki.keyEncrypted' : 'tools.pki.key', { path: res.keyPath })
      : tr('tools.pki.keyElsewhere', { path: String(v['public-key']) }),
  );
  return EXIT.OK;
}

async function revoke(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { ca: { type: 'string' }, cert: { type: 'string' }, reason: { type: 'string' } }, usage);
  noPositionals(positionals);
  const res = await revokeCertificate({
    caDir: required(v.ca, '--ca', usage),
    certPath: required(v.cert, '--cert', usage),
    ...(v.reason ? { reason: v.reason } : {}),
  });
  out(translator(cliLang())(res.alreadyRevoked ? 'tools.pki.alreadyRevoked' : 'tools.pki.revoked', { serial: res.serial }));
  return EXIT.OK;
}

async function crl(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    { ca: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' }, 'passphrase-env': { type: 'string' } },
    usage,
  );
  noPositionals(positionals);
  const passphrase = passphraseFromEnv(v['passphrase-env'], '--passphrase-env');
  const d = days(v.days, '--days');
  const outPath = required(v.out, '--out', usage);
  const res = await writeCrl({
    caDir: required(v.ca, '--ca', usage),
    outPath,
    ...(passphrase ? { passphrase } : {}),
    ...(d ? { nextUpdateDays: d } : {}),
  });
  out(
    translator(cliLang())('tools.pki.crl', {
      number: String(res.crlNumber),
      path: outPath,
      count: res.revoked.size,
      date: String(res.nextUpdate?.toISOString()),
    }),
  );
  return EXIT.OK;
}

async function show(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, { json: { type: 'boolean' } }, usage);
  if (positionals.length !== 1) throw usageError(said('err.cli.oneCert', 'expected exactly one certificate file'), usage);
  const file = positionals[0]!;
  const certs = parseCertificates(await readPkiFile(file, 'certificate'), file);
  const summaries = certs.map(summarizeCertificate);
  if (v.json) {
    out(JSON.stringify(summaries, null, 2));
    return EXIT.OK;
  }
  const tr = translator(cliLang());
  summaries.forEach((s, i) => {
    out(tr('tools.cert.heading', { file: path.basename(file), n: i + 1, total: summaries.length }));
    out(formatCertificateSummary(s, tr));
  });
  return EXIT.OK;
}

async function verify(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    {
      trust: { type: 'string' },
      crl: { type: 'string', multiple: true },
      allowed: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length !== 1) throw usageError(said('err.cli.oneChain', 'expected exactly one chain file'), usage);
  const file = positionals[0]!;
  const chain = parseCertificateChain(await readPkiFile(file, 'certificate chain'), file);
  const store = await readTrustStore({
    anchorsPath: required(v.trust, '--trust', usage),
    ...(v.allowed ? { allowedListPath: v.allowed } : {}),
  });
  const crls = [];
  for (const c of v.crl ?? []) crls.push(...parseCrls(await readPkiFile(c, 'CRL'), c));
  let at: Date | undefined;
  if (v.at !== undefined) {
    at = new Date(v.at);
    if (Number.isNaN(at.getTime())) throw InvalidArgumentError.expected('an ISO 8601 date', '--at', v.at);
  }
  const res = verifyCertificateChain(chain, { ...store, crls, ...(at ? { at } : {}) });
  if (v.json) {
    out(
      JSON.stringify(
        {
          code: res.code,
          explanation: res.explanation,
          path: res.path.map((c) => c.subject.text),
          warnings: [...store.warnings, ...res.warnings],
        },
        null,
        2,
      ),
    );
  } else {
    const lang = cliLang();
    const tr = translator(lang);
    out(tr('tools.pki.verified', { code: res.code, explanation: explanationText({ code: res.code, explanation: res.explanation }, lang) }));
    for (const w of [...store.warnings, ...res.warnings]) out(tr('tools.pki.warning', { warning: w }));
  }
  if (res.code === 'signingCredential.trusted') return EXIT.OK;
  return res.code === 'signingCredential.untrusted' ? EXIT.UNTRUSTED : EXIT.INVALID;
}

function serviceCert(kind: ServiceCertKind): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const { values: v, positionals } = parse(
      argv,
      {
        ca: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        days: { type: 'string' },
        alg: { type: 'string' },
        'passphrase-env': { type: 'string' },
        'ca-passphrase-env': { type: 'string' },
      },
      usage,
    );
    noPositionals(positionals);
    const keyPassphrase = passphraseFromEnv(v['passphrase-env'], '--passphrase-env');
    const caPassphrase =
      v['ca-passphrase-env'] !== undefined ? passphraseFromEnv(v['ca-passphrase-env'], '--ca-passphrase-env') : keyPassphrase;
    const d = days(v.days, '--days');
    const res = await issueServiceCertificateFor({
      kind,
      caDir: required(v.ca, '--ca', usage),
      outDir: required(v.out, '--out', usage),
      ...(v.name ? { name: v.name } : {}),
      ...(d ? { days: d } : {}),
      ...(v.alg ? { alg: parseKeyAlgorithm(v.alg, '--alg') } : {}),
      ...(caPassphrase ? { caPassphrase } : {}),
      ...(keyPassphrase ? { keyPassphrase } : {}),
    });
    const tr = translator(cliLang());
    out(tr(kind === 'tsa' ? 'tools.pki.issuedTsa' : 'tools.pki.issuedOcsp', { subject: res.cert.subject.text }));
    out(tr('tools.pki.valid', { from: res.cert.notBefore.toISOString(), to: res.cert.notAfter.toISOString() }));
    out(tr('tools.pki.chain', { path: res.chainPath }));
    out(tr('tools.pki.key', { path: res.keyPath }));
    return EXIT.OK;
  };
}

async function ocspServe(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(
    argv,
    {
      ca: { type: 'string' },
      responder: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'passphrase-env': { type: 'string' },
    },
    usage,
  );
  noPositionals(positionals);
  const caDir = required(v.ca, '--ca', usage);
  const passphrase = passphraseFromEnv(v['passphrase-env'], '--passphrase-env');
  let responder = v.responder;
  if (!responder) {
    responder = path.join(caDir, 'ocsp-responder');
    if (!(await exists(path.join(responder, 'chain.pem')))) {
      await issueServiceCertificateFor({
        kind: 'ocsp',
        caDir,
        outDir: responder,
        ...(passphrase ? { caPassphrase: passphrase, keyPassphrase: passphrase } : {}),
      });
      out(translator(cliLang())('tools.pki.responderIssued', { dir: responder }));
    }
  }
  const server = await startOcspServer(
    await caResponderOptions({
      caDir,
      responderChainPath: path.join(responder, 'chain.pem'),
      responderKeyPath: path.join(responder, 'key.pem'),
      ...(passphrase ? { passphrase } : {}),
      ...(v.host ? { host: v.host } : {}),
      port: port(v.port, 2560),
    }),
  );
  out(translator(cliLang())('tools.pki.ocspListening', { dir: caDir, url: server.url }));
  return untilInterrupted(() => server.close());
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** The `aigc pki` sub-commands. */
export const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  init,
  issue,
  revoke,
  crl,
  show,
  verify,
  'issue-tsa': serviceCert('tsa'),
  'issue-ocsp': serviceCert('ocsp'),
  'ocsp-serve': ocspServe,
};

/**
 * Run `aigc pki <sub-command> ...`.
 * @throws {InvalidArgumentError} on usage errors; other typed errors from the library.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const fn = sub ? SUBCOMMANDS[sub] : undefined;
  if (!fn)
    throw sub
      ? usageError(said('err.cli.unknownSub', "unknown {command} sub-command '{sub}'", { command: 'pki', sub }), usage)
      : usageError(said('err.cli.missingSub', 'missing {command} sub-command', { command: 'pki' }), usage);
  return fn(rest);
}
