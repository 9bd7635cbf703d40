/**
 * A throw-away SoftHSM2 token for tests: a fresh token directory and config under a temp folder,
 * initialised with `softhsm2-util` (Debian's softhsm2, installed by scripts/setup.sh). Sets
 * SOFTHSM2_CONF for this process and returns it for child processes.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian installs the SoftHSM2 PKCS#11 module. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** A ready token. */
export interface TestToken {
  readonly conf: string;
  readonly label: string;
  readonly pin: string;
  /** `pkcs11:` URI of `object` in this token, with the module path and PIN. */
  uri(object: string, extra?: string): string;
  /** Run OpenSC's pkcs11-tool against the token (an independent PKCS#11 client). */
  tool(args: string[]): Promise<string>;
}

/** Create and initialise a token in `dir`. */
export async function makeToken(dir: string, label = 'aigc-test', pin = '123456'): Promise<TestToken> {
  const tokens = path.join(dir, 'tokens');
  await mkdir(tokens, { recursive: true });
  const conf = path.join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  await run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '654321'], { env });
  return {
    conf,
    label,
    pin,
    uri: (object, extra = '') => `pkcs11:token=${label};object=${object}${extra}?module-path=${SOFTHSM_MODULE}&pin-value=${pin}`,
    tool: async (args) =>
      (await run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', label, '--login', '--pin', pin, ...args], { env })).stdout,
  };
}
