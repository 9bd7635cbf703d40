/**
 * Chains made by the openssl CLI, to prove the validator accepts what other tools make:
 * - `rsa-pss/`: RSA-2048 keys, every certificate signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32);
 * - `p384/`: ECDSA P-384 keys, ecdsa-with-SHA384.
 * Each directory gets `root.pem`, `chain.pem` (leaf, intermediate) and `key.pem`. openssl 3.0
 * cannot set notBefore, so these dates follow the wall clock (valid for 10 years).
 * Returns false (and writes nothing) when openssl is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KeyObject } from 'node:crypto';

const run = promisify(execFile);

const CONFIG = `[req]
distinguished_name = dn
[dn]
[v3_root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_int]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = 1.3.6.1.4.1.62558.2.1,emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

/** Whether the openssl CLI is available. */
export async function hasOpenssl(): Promise<boolean> {
  try {
    await run('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

interface Flavour {
  keyArgs: string[];
  digest: string;
  sigopts: string[];
  org: string;
  keys?: readonly KeyObject[];
}

async function makeChain(dir: string, f: Flavour): Promise<void> {
  await mkdir(dir, { recursive: true });
  const p = (n: string): string => path.join(dir, n);
  const cnf = p('openssl.cnf');
  await writeFile(cnf, CONFIG);
  const sig = f.sigopts.flatMap((o) => ['-sigopt', o]);
  await Promise.all(
    ['root', 'int', 'leaf'].map((n, i) =>
      f.keys?.[i]
        ? writeFile(p(`${n}.key`), f.keys[i]!.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
        : run('openssl', ['genpkey', ...f.keyArgs, '-out', p(`${n}.key`)]),
    ),
  );
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    p('root.key'),
    '-subj',
    `/O=${f.org}/CN=${f.org} Root`,
    '-days',
    '3650',
    `-${f.digest}`,
    ...sig,
    '-config',
    cnf,
    '-extensions',
    'v3_root',
    '-out',
    p('root.pem'),
  ]);
  for (const [n, issuer, ext, cn] of [
    ['int', 'root', 'v3_int', 'Intermediate'],
    ['leaf', 'int', 'v3_leaf', 'Signer'],
  ] as const) {
    await run('openssl', [
      'req',
      '-new',
      '-key',
      p(`${n}.key`),
      '-subj',
      `/O=${f.org}/CN=${f.org} ${cn}`,
      '-config',
      cnf,
      '-out',
      p(`${n}.csr`),
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      p(`${n}.csr`),
      '-CA',
      p(`${issuer}.pem`),
      '-CAkey',
      p(`${issuer}.key`),
      '-set_serial',
      n === 'int' ? '4096' : '8192',
      '-days',
      '3650',
      `-${f.digest}`,
      ...sig,
      '-extfile',
      cnf,
      '-extensions',
      ext,
      '-out',
      p(`${n}.pem`),
    ]);
  }
  await writeFile(p('chain.pem'), (await readFile(p('leaf.pem'), 'utf8')) + (await readFile(p('int.pem'), 'utf8')));
  await writeFile(p('key.pem'), await readFile(p('leaf.key')), { mode: 0o600 });
  await Promise.all(['openssl.cnf', 'int.csr', 'leaf.csr', 'leaf.key'].map((n) => rm(p(n), { force: true })));
}

/**
 * Make `rsa-pss/` and `p384/` under `dir`; false when openssl is missing. `rsaKeys`
 * (root, intermediate, leaf private keys) saves generating RSA keys again.
 */
export async function makeOpensslChains(dir: string, rsaKeys?: readonly KeyObject[]): Promise<boolean> {
  if (!(await hasOpenssl())) return false;
  await Promise.all([
    makeChain(path.join(dir, 'rsa-pss'), {
      keyArgs: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
      digest: 'sha256',
      sigopts: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32', 'rsa_mgf1_md:sha256'],
      org: 'OpenSSL RSA-PSS Test',
      ...(rsaKeys ? { keys: rsaKeys } : {}),
    }),
    makeChain(path.join(dir, 'p384'), {
      keyArgs: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      digest: 'sha384',
      sigopts: [],
      org: 'OpenSSL P-384 Test',
    }),
  ]);
  return true;
}
