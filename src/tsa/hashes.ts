/** Hash algorithms of RFC 3161 message imprints and CMS digests, by name and OID. */
import { createHash } from 'node:crypto';

/** Hashes a time-stamp imprint may use. */
export type TsaHash = 'sha256' | 'sha384' | 'sha512';

const OIDS: Record<TsaHash, string> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

/** The OID of a hash. */
export function hashOid(h: TsaHash): string {
  return OIDS[h];
}

/** The hash named by an OID (SHA-2 only), else undefined. */
export function hashFromOid(oid: string): TsaHash | undefined {
  return (Object.keys(OIDS) as TsaHash[]).find((k) => OIDS[k] === oid);
}

/** Hash bytes. */
export function digest(h: TsaHash, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(h).update(data).digest());
}
