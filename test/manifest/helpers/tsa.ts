/**
 * A local RFC 3161 time-stamp authority for tests: builds a TimeStampToken (CMS SignedData
 * over a TSTInfo) with node:crypto and the @peculiar ASN.1 classes.
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  DigestAlgorithmIdentifiers,
  id_signedData,
  CMSVersion,
} from '@peculiar/asn1-cms';
import { MessageImprint, TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_DER_TSTINFO = Uint8Array.from([0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04]);

/** Options for {@link makeTimestampToken}. */
export interface TokenOptions {
  readonly genTime?: Date;
  /** Corrupt the TSA signature. */
  readonly badSignature?: boolean;
  /** Imprint over these bytes instead of the given data. */
  readonly imprintOver?: Uint8Array;
}

function der(len: number): number[] {
  if (len < 0x80) return [len];
  const b: number[] = [];
  for (let n = len; n > 0; n >>= 8) b.unshift(n & 0xff);
  return [0x80 | b.length, ...b];
}
function tlv(tag: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...der(body.length), ...body]);
}

/** Build a TimeStampToken whose message imprint is SHA-256 of `data`, signed by `key` (ECDSA P-256). */
export function makeTimestampToken(data: Uint8Array, key: KeyObject, chain: Uint8Array[], opts: TokenOptions = {}): Uint8Array {
  const tsaCert = AsnConvert.parse(chain[0], Certificate);
  const tst = new TSTInfo({
    version: 1,
    policy: '1.2.3.4.1',
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256 }),
      hashedMessage: new OctetString(
        createHash('sha256')
          .update(opts.imprintOver ?? data)
          .digest(),
      ),
    }),
    serialNumber: new Uint8Array(randomBytes(8)).buffer,
    genTime: opts.genTime ?? new Date(Math.floor(Date.now() / 1000) * 1000),
    ordering: false,
  });
  const tstDer = new Uint8Array(AsnConvert.serialize(tst));
  const certHash = createHash('sha256').update(chain[0]).digest();
  // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash } } (sha256 default omitted)
  const signingCertV2 = tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, certHash))));
  const attrs = [
    new Attribute({ attrType: '1.2.840.113549.1.9.3', attrValues: [OID_DER_TSTINFO.slice().buffer] }),
    new Attribute({
      attrType: '1.2.840.113549.1.9.4',
      attrValues: [AsnConvert.serialize(new OctetString(createHash('sha256').update(tstDer).digest()))],
    }),
    new Attribute({ attrType: '1.2.840.113549.1.9.16.2.47', attrValues: [signingCertV2.slice().buffer] }),
  ];
  const encoded = attrs.map((a) => new Uint8Array(AsnConvert.serialize(a)));
  const order = encoded.map((e, i) => [e, i] as const).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const setDer = tlv(0x31, Buffer.concat(order.map(([e]) => e)));
  const signature = new Uint8Array(sign('sha256', setDer, key));
  if (opts.badSignature) signature[signature.length - 5] ^= 0x01;
  const si = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: tsaCert.tbsCertificate.issuer,
        serialNumber: tsaCert.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256 }),
    signedAttrs: order.map(([, i]) => attrs[i]),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
    signature: new OctetString(signature),
  });
  const sd = new SignedData({
    version: CMSVersion.v3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: SHA256 })]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: id_ct_tstInfo,
      eContent: new EncapsulatedContent({ single: new OctetString(tstDer) }),
    }),
    certificates: new CertificateSet(chain.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c, Certificate) }))),
    signerInfos: new SignerInfos([si]),
  });
  return new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(sd) })));
}
