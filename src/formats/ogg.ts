/**
 * Ogg Vorbis and Ogg Opus handler (label only: C2PA defines no manifest embedding for Ogg).
 * The GB 45438 label is the comment `AIGC=<json>` (TC260-PG-202510A) in the stream's
 * comment header: the Vorbis comment packet (`\x03vorbis`, Vorbis I §5) or `OpusTags`
 * (RFC 7845 §5.2). Writing replaces every `AIGC` comment and keeps all others (and the
 * bytes after the comment list: Vorbis' framing bit, Opus' extra data).
 *
 * The comment header pages (with the Vorbis setup header they share) are re-paginated over
 * as many pages as before when possible, so audio pages are copied untouched; when the label
 * needs more pages, the stream's later pages get new sequence numbers and CRCs (their bodies
 * are still copied). Only the first logical stream of the file is labelled.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { Part } from '../binary/parts.ts';
import { MalformedInputError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { labelOnlyPlans } from './common/label-only.ts';
import {
  isOggPage,
  OGG_BOS,
  OGG_PAGE_HEADER,
  readHeaders,
  readPage,
  renumberedHeader,
  writeHeaderPages,
  type OggHeaders,
} from './common/ogg-pages.ts';
import {
  AIGC_COMMENT_KEY,
  commentValues,
  parseVorbisComment,
  replaceComment,
  serializeVorbisComment,
  type VorbisComment,
} from './common/vorbis-comment.ts';
import { WindowReader } from './common/window-reader.ts';
import type { FormatHandler, FoundLabel } from './types.ts';

const FORMAT = 'ogg';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The codecs whose comment header is handled. */
interface Codec {
  readonly name: 'Vorbis' | 'Opus';
  /** Start of the identification header. */
  readonly id: Uint8Array;
  /** Start of the comment header. */
  readonly comment: Uint8Array;
  /** Header packets in all (Vorbis: identification, comment, setup). */
  readonly headers: number;
  readonly extension: string;
  /** Carrier name reported by `readLabels`. */
  readonly carrier: string;
}

const CODECS: readonly Codec[] = [
  { name: 'Vorbis', id: enc('\x01vorbis'), comment: enc('\x03vorbis'), headers: 3, extension: 'ogg', carrier: 'Vorbis comment AIGC (Ogg)' },
  { name: 'Opus', id: enc('OpusHead'), comment: enc('OpusTags'), headers: 2, extension: 'opus', carrier: 'OpusTags AIGC' },
];

/** Carrier names reported by {@link oggHandler.readLabels}. */
export const OGG_CARRIERS = { vorbis: CODECS[0]!.carrier, opus: CODECS[1]!.carrier } as const;

function startsWith(b: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (b.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** The codec of a first page (its single packet right after the lacing values). */
function codecOf(head: Uint8Array): Codec | undefined {
  if (!isOggPage(head) || head.length < OGG_PAGE_HEADER) return undefined;
  const body = OGG_PAGE_HEADER + head[26]!;
  return CODECS.find((c) => startsWith(head, c.id, body));
}

/** A parsed file: its codec, headers and comment list. */
interface Parsed {
  readonly codec: Codec;
  readonly headers: OggHeaders;
  readonly vc: VorbisComment;
  /** Bytes of the comment packet after the comment list. */
  readonly tail: Uint8Array;
}

async function parse(src: ByteSource): Promise<Parsed> {
  const r = new WindowReader(src, FORMAT);
  const codec = codecOf(await r.upTo(0, 64));
  if (!codec) throw new MalformedInputError(FORMAT, said('err.fmt.notOggVorbisOgg', 'not an Ogg Vorbis or Ogg Opus stream'), 0);
  const headers = await readHeaders(r, codec.headers);
  const packet = headers.packets[1]!;
  if (!startsWith(packet, codec.comment))
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.secondHeaderNotComment', 'the second {name} header is not a comment header', { name: codec.name }),
      headers.pages[0]?.offset,
    );
  const vc = parseVorbisComment(packet.subarray(codec.comment.length), headers.pages[0]?.offset);
  const tail = packet.slice(codec.comment.length + serializeVorbisComment(vc).length);
  return { codec, headers, vc, tail };
}

/** The stream's pages after the headers, renumbered by `delta` (CRC recomputed; bodies copied). */
async function renumberRest(src: ByteSource, p: Parsed, delta: number): Promise<Part[]> {
  const r = new WindowReader(src, FORMAT);
  const parts: Part[] = [];
  let at = p.headers.end;
  let run = at;
  let chained = false;
  while (at < src.size && !chained) {
    const page = await readPage(r, at);
    if (page.headerType & OGG_BOS) {
      chained = true; // a chained stream starts: its pages are its own
      break;
    }
    if (page.serial === p.headers.serial) {
      if (page.offset > run) parts.push({ copy: { offset: run, length: page.offset - run } });
      const header = await r.bytes(page.offset, page.bodyOffset - page.offset);
      const body = await r.bytes(page.bodyOffset, page.bodyLength);
      parts.push({ bytes: renumberedHeader(header, body, page.sequence + delta) });
      parts.push({ copy: { offset: page.bodyOffset, length: page.bodyLength } });
      run = page.end;
    }
    at = page.end;
  }
  if (src.size > run) parts.push({ copy: { offset: run, length: src.size - run } });
  return parts;
}

async function rewrite(src: ByteSource, labels: ImplicitLabels | undefined): Promise<Part[]> {
  const p = await parse(src);
  if (!labels?.gb45438) return [{ copy: { offset: 0, length: src.size } }];
  const { codec, headers } = p;
  const vc = replaceComment(p.vc, AIGC_COMMENT_KEY, serializeGb45438(labels.gb45438));
  const body = serializeVorbisComment(vc);
  const comment = new Uint8Array(codec.comment.length + body.length + p.tail.length);
  comment.set(codec.comment, 0);
  comment.set(body, codec.comment.length);
  comment.set(p.tail, codec.comment.length + body.length);
  const packets = [comment, ...headers.packets.slice(2)];
  const firstSeq = headers.pages[0]!.sequence;
  const pages = writeHeaderPages(packets, headers.serial, firstSeq, headers.pages.length);
  // Other streams' pages met among ours keep their order; their BOS pages stay in front (RFC 3533 §4).
  const copyOf = (o: OggHeaders['others'][number]): Part => ({ copy: { offset: o.offset, length: o.end - o.offset } });
  const parts: Part[] = [
    { copy: { offset: 0, length: headers.first.end } },
    ...headers.others.filter((o) => o.headerType & OGG_BOS).map(copyOf),
    ...pages.map((bytes) => ({ bytes })),
    ...headers.others.filter((o) => !(o.headerType & OGG_BOS)).map(copyOf),
  ];
  const delta = pages.length - headers.pages.length;
  if (delta === 0) {
    if (src.size > headers.end) parts.push({ copy: { offset: headers.end, length: src.size - headers.end } });
    return parts;
  }
  return [...parts, ...(await renumberRest(src, p, delta))];
}

const NAME = 'Ogg Vorbis/Opus';

/** Ogg Vorbis and Ogg Opus: the `AIGC` comment; no C2PA manifest (none is defined for Ogg). */
export const oggHandler: FormatHandler = {
  id: 'ogg',
  name: NAME,
  mediaKind: 'audio',
  reencodable: true,
  mimeTypes: ['audio/ogg', 'audio/opus', 'application/ogg'],
  extensions: ['ogg', 'opus', 'oga'],
  hardBinding: 'none',
  sniff: (head) => codecOf(head) !== undefined,
  variantOf(head) {
    return codecOf(head)?.name === 'Opus' ? { mime: 'audio/ogg', extension: 'opus' } : { mime: 'audio/ogg', extension: 'ogg' };
  },
  /**
   * Always undefined (C2PA defines no embedding for Ogg); the stream headers are still checked.
   * @throws {MalformedInputError} {@link LimitExceededError} for a malformed stream.
   */
  async readManifest(src) {
    await parse(src);
    return undefined;
  },
  ...labelOnlyPlans(NAME, rewrite),
  /** @throws {MalformedInputError} {@link LimitExceededError} */
  async readLabels(src): Promise<FoundLabel[]> {
    const p = await parse(src);
    return commentValues(p.vc, AIGC_COMMENT_KEY).map((raw) => ({ kind: 'gb45438' as const, foundIn: p.codec.carrier, raw }));
  },
};
