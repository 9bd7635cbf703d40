/**
 * The PKCS#11 plumbing behind the PKCS#11 signer and key generation: loading a module once
 * per process (PKCS#11 allows one `C_Initialize` per module), finding the token a URI names,
 * logging in, and finding or creating keys. Constants are the PKCS#11 v2.40/3.0 values, so
 * this file needs the native binding only when a token is actually opened.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { ExternalToolError, InvalidArgumentError, KeyError, said } from '../errors.ts';
import { pinOf, type Pkcs11Uri } from './pkcs11-uri.ts';
import type { Pkcs11KeyFacts } from './pkcs11-signer.ts';

/** PKCS#11 constants used here (values from the PKCS#11 specification). */
export const P11 = {
  CKA_CLASS: 0x0,
  CKA_TOKEN: 0x1,
  CKA_PRIVATE: 0x2,
  CKA_LABEL: 0x3,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKA_SENSITIVE: 0x103,
  CKA_SIGN: 0x108,
  CKA_VERIFY: 0x10a,
  CKA_EXTRACTABLE: 0x162,
  CKA_NEVER_EXTRACTABLE: 0x164,
  CKA_ALWAYS_SENSITIVE: 0x165,
  CKA_EC_PARAMS: 0x180,
  CKA_EC_POINT: 0x181,
  CKO_PUBLIC_KEY: 0x2,
  CKO_PRIVATE_KEY: 0x3,
  CKK_RSA: 0x0,
  CKK_EC: 0x3,
  CKK_EC_EDWARDS: 0x40,
  CKM_EC_KEY_PAIR_GEN: 0x1040,
  CKM_EC_EDWARDS_KEY_PAIR_GEN: 0x1055,
  CKM_ECDSA: 0x1041,
  CKM_EDDSA: 0x1057,
  CKM_SHA256: 0x250,
  CKM_SHA384: 0x260,
  CKM_SHA512: 0x270,
  CKM_SHA256_RSA_PKCS_PSS: 0x43,
  CKM_SHA384_RSA_PKCS_PSS: 0x44,
  CKM_SHA512_RSA_PKCS_PSS: 0x45,
  CKG_MGF1_SHA256: 0x2,
  CKG_MGF1_SHA384: 0x3,
  CKG_MGF1_SHA512: 0x4,
  CKF_RW_SESSION: 0x2,
  CKF_SERIAL_SESSION: 0x4,
  CKU_USER: 0x1,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  /** pkcs11js's tag for RSA-PSS mechanism parameters. */
  CK_PARAMS_RSA_PSS: 5,
} as const;

/** The subset of pkcs11js's `PKCS11` class used here. */
export interface Pkcs11Module {
  load(path: string): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Buffer[];
  C_GetTokenInfo(slot: Buffer): { label: string; serialNumber: string; manufacturerID: string; model: string };
  C_OpenSession(slot: Buffer, flags: number): Buffer;
  C_CloseSession(session: Buffer): void;
  C_Login(session: Buffer, userType: number, pin?: string): void;
  C_Logout(session: Buffer): void;
  C_FindObjectsInit(session: Buffer, template: { type: number; value?: unknown }[]): void;
  C_FindObjects(session: Buffer, max: number): Buffer[];
  C_FindObjectsFinal(session: Buffer): void;
  C_GetAttributeValue(session: Buffer, obj: Buffer, template: { type: number }[]): { type: number; value: Buffer }[];
  C_SignInit(session: Buffer, mechanism: never, key: Buffer): void;
  C_Sign(session: Buffer, data: Buffer, out: Buffer): Buffer;
  C_GenerateKeyPair(
    session: Buffer,
    mech: { mechanism: number },
    pub: unknown[],
    priv: unknown[],
  ): { publicKey: Buffer; privateKey: Buffer };
}

/** An open, logged-in session; `close()` releases it and the module reference. */
export interface TokenSession {
  readonly handle: Buffer;
  close(): void;
}

const loaded = new Map<string, { mod: Pkcs11Module; refs: number }>();
/** Most objects a URI may match before we stop looking (it should match one). */
const MAX_MATCHES = 16;

function loadModule(path: string): Pkcs11Module {
  const cached = loaded.get(path);
  if (cached) {
    cached.refs++;
    return cached.mod;
  }
  let binding: { PKCS11: new () => Pkcs11Module };
  try {
    binding = createRequire(import.meta.url)('pkcs11js') as typeof binding;
  } catch (err) {
    throw new ExternalToolError(
      said('err.key.pkcsBindingPkcs11jsNot', 'the PKCS#11 binding (pkcs11js) is not built; run scripts/setup.sh: {v1}', {
        v1: (err as Error).message,
      }),
      {
        cause: err,
      },
    );
  }
  const mod = new binding.PKCS11();
  try {
    mod.load(path);
    mod.C_Initialize();
  } catch (err) {
    if ((err as { code?: number }).code !== P11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new ExternalToolError(
        said('err.key.cannotLoadPKCSModule', 'cannot load the PKCS#11 module {path}: {v2}', { path, v2: (err as Error).message }),
        { cause: err },
      );
    }
  }
  loaded.set(path, { mod, refs: 1 });
  return mod;
}

function release(path: string): void {
  const entry = loaded.get(path);
  if (!entry || --entry.refs > 0) return;
  loaded.delete(path);
  try {
    entry.mod.C_Finalize();
  } catch {
    /* finalising a module that is going away anyway */
  }
}

const trim = (s: string) => s.replace(/[\s\0]+$/, '');

/**
 * Load the module, find the token the URI names (token label, serial, manufacturer, model or slot-id), open a session and
 * log in with `pin`, else the URI's PIN (see {@link pinOf}).
 * @throws {InvalidArgumentError} when no module path is given.
 * @throws {ExternalToolError} when the module cannot be loaded or no token matches.
 * @throws {KeyError} when the login fails (wrong PIN, locked token).
 */
export async function openToken(
  uri: Pkcs11Uri,
  module?: string,
  pin?: string,
  rw = false,
): Promise<{ mod: Pkcs11Module; session: TokenSession }> {
  const path = module ?? uri.modulePath ?? process.env.AIGC_PKCS11_MODULE;
  if (!path)
    throw new InvalidArgumentError(
      said(
        'err.key.expectedPKCSModuleModule',
        'Expected a PKCS#11 module (module-path in the URI, or $AIGC_PKCS11_MODULE) but received none',
      ),
    );
  const userPin = pin ?? (await pinOf(uri));
  const mod = loadModule(path);
  try {
    const slots = mod.C_GetSlotList(true);
    const slot = slots.find((s, i) => {
      if (uri.slotId !== undefined && s.readUIntLE(0, Math.min(6, s.length)) !== uri.slotId && i !== uri.slotId) return false;
      const info = mod.C_GetTokenInfo(s);
      return (
        (uri.token === undefined || trim(info.label) === uri.token) &&
        (uri.serial === undefined || trim(info.serialNumber) === uri.serial) &&
        (uri.manufacturer === undefined || trim(info.manufacturerID) === uri.manufacturer) &&
        (uri.model === undefined || trim(info.model) === uri.model)
      );
    });
    if (!slot)
      throw new ExternalToolError(
        uri.token
          ? said('err.p11.noTokenNamed', 'no PKCS#11 token matches token={token} in {path}', { token: uri.token, path })
          : said('err.p11.noToken', 'no PKCS#11 token matches the URI in {path}', { path }),
      );
    const handle = mod.C_OpenSession(slot, P11.CKF_SERIAL_SESSION | (rw ? P11.CKF_RW_SESSION : 0));
    try {
      if (userPin !== undefined) mod.C_Login(handle, P11.CKU_USER, userPin);
    } catch (err) {
      if ((err as { code?: number }).code !== P11.CKR_USER_ALREADY_LOGGED_IN) {
        mod.C_CloseSession(handle);
        throw new KeyError(
          said('err.key.pkcsLoginTokenFailed', 'PKCS#11 login to token {v1} failed: {v2}', {
            v1: uri.token ?? '',
            v2: (err as Error).message,
          }),
          { cause: err },
        );
      }
    }
    return {
      mod,
      session: {
        handle,
        close() {
          try {
            mod.C_CloseSession(handle);
          } finally {
            release(path);
          }
        },
      },
    };
  } catch (err) {
    release(path);
    throw err;
  }
}

function findObjects(mod: Pkcs11Module, session: TokenSession, template: { type: number; value?: unknown }[]): Buffer[] {
  mod.C_FindObjectsInit(session.handle, template);
  try {
    return mod.C_FindObjects(session.handle, MAX_MATCHES);
  } finally {
    mod.C_FindObjectsFinal(session.handle);
  }
}

const selector = (uri: Pkcs11Uri, cls: number) => [
  { type: P11.CKA_CLASS, value: cls },
  ...(uri.object !== undefined ? [{ type: P11.CKA_LABEL, value: uri.object }] : []),
  ...(uri.id !== undefined ? [{ type: P11.CKA_ID, value: Buffer.from(uri.id) }] : []),
];

/**
 * Find the one private key the URI's `object`/`id` name, with its protection attributes.
 * @throws {KeyError} when none or more than one key matches.
 */
export function findPrivateKey(mod: Pkcs11Module, session: TokenSession, uri: Pkcs11Uri): { handle: Buffer; facts: Pkcs11KeyFacts } {
  const found = findObjects(mod, session, selector(uri, P11.CKO_PRIVATE_KEY));
  if (found.length !== 1) {
    throw new KeyError(
      uri.object
        ? said('err.p11.keysNamed', 'expected one private key matching object={object} in the token but found {count}', {
            object: uri.object,
            count: found.length,
          })
        : said('err.p11.keys', 'expected one private key matching the URI in the token but found {count}', { count: found.length }),
    );
  }
  const attrs = mod.C_GetAttributeValue(session.handle, found[0]!, [
    { type: P11.CKA_SENSITIVE },
    { type: P11.CKA_EXTRACTABLE },
    { type: P11.CKA_NEVER_EXTRACTABLE },
    { type: P11.CKA_ALWAYS_SENSITIVE },
  ]);
  const flag = (t: number) => attrs.find((a) => a.type === t)?.value[0] === 1;
  return {
    handle: found[0]!,
    facts: {
      sensitive: flag(P11.CKA_SENSITIVE),
      extractable: flag(P11.CKA_EXTRACTABLE),
      neverExtractable: flag(P11.CKA_NEVER_EXTRACTABLE),
      alwaysSensitive: flag(P11.CKA_ALWAYS_SENSITIVE),
    },
  };
}

/** DER of the curve OIDs we generate keys on. */
const CURVES = {
  es256: { oid: '06082a8648ce3d030107', crv: 'P-256' },
  es384: { oid: '06052b81040022', crv: 'P-384' },
  es512: { oid: '06052b81040023', crv: 'P-521' },
  ed25519: { oid: '06032b6570', crv: 'Ed25519' },
} as const;

/** Unwrap the DER OCTET STRING around a CKA_EC_POINT value (tokens return it wrapped). */
function unwrapPoint(v: Buffer): Buffer {
  if (v[0] !== 0x04) return v;
  const long = v[1]! & 0x80 ? v[1]! & 0x7f : 0;
  const len = long ? v.readUIntBE(2, long) : v[1]!;
  const start = 2 + long;
  return start + len === v.length ? v.subarray(start) : v;
}

/**
 * Generate a key pair inside the token: the private key is sensitive and not extractable, so it never leaves.
 * Returns the public key, for a CA to certify (`aigc pki issue --public-key`).
 * @throws {InvalidArgumentError} on an unsupported algorithm.
 * @throws {KeyError} when the token refuses to generate the pair.
 */
export async function generatePkcs11KeyPair(uri: Pkcs11Uri, alg: keyof typeof CURVES, pin?: string, module?: string): Promise<KeyObject> {
  const curve = CURVES[alg];
  if (!curve) throw InvalidArgumentError.expected(Object.keys(CURVES).join(' | '), 'alg', alg);
  if (uri.object === undefined) throw InvalidArgumentError.expected('an object= label for the new key', 'PKCS#11 URI', uri);
  const { mod, session } = await openToken(uri, module, pin, true);
  try {
    const ed = alg === 'ed25519';
    const common = [
      { type: P11.CKA_TOKEN, value: true },
      { type: P11.CKA_LABEL, value: uri.object },
      ...(uri.id ? [{ type: P11.CKA_ID, value: Buffer.from(uri.id) }] : []),
    ];
    const pair = mod.C_GenerateKeyPair(
      session.handle,
      { mechanism: ed ? P11.CKM_EC_EDWARDS_KEY_PAIR_GEN : P11.CKM_EC_KEY_PAIR_GEN },
      [...common, { type: P11.CKA_VERIFY, value: true }, { type: P11.CKA_EC_PARAMS, value: Buffer.from(curve.oid, 'hex') }],
      [
        ...common,
        { type: P11.CKA_SIGN, value: true },
        { type: P11.CKA_PRIVATE, value: true },
        { type: P11.CKA_SENSITIVE, value: true },
        { type: P11.CKA_EXTRACTABLE, value: false },
      ],
    );
    const [point] = mod.C_GetAttributeValue(session.handle, pair.publicKey, [{ type: P11.CKA_EC_POINT }]);
    const raw = unwrapPoint(point!.value);
    if (ed) return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    const n = (raw.length - 1) / 2;
    return crypto.createPublicKey({
      key: { kty: 'EC', crv: curve.crv, x: raw.subarray(1, 1 + n).toString('base64url'), y: raw.subarray(1 + n).toString('base64url') },
      format: 'jwk',
    });
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new KeyError(
      said('err.key.pkcsTokenCouldNot2', 'the PKCS#11 token could not generate a {alg} key pair: {v2}', {
        alg,
        v2: (err as Error).message,
      }),
      { cause: err },
    );
  } finally {
    session.close();
  }
}
