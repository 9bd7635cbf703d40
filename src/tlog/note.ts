/**
 * C2SP signed notes with Ed25519 keys, and C2SP checkpoints (`tlog-checkpoint`) carried in them.
 *
 *   note      = text (non-empty lines, ends in "\n") "\n" signature lines
 *   signature = "— " name " " base64(keyID[4] ‖ Ed25519 signature[64]) "\n"
 *   keyID     = SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0:4]
 *   vkey      = name "+" hex(keyID) "+" base64(0x01 ‖ public key)       (shared with verifiers)
 *   skey      = "PRIVATE+KEY+" name "+" hex(keyID) "+" base64(0x01 ‖ seed)
 *   checkpoint text = origin "\n" size "\n" base64(root) "\n" [extension lines]
 * Ed25519 is `@noble/ed25519` over WebCrypto's SHA-512, so this file has no `node:*` import.
 */
import * as ed from '@noble/ed25519';
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../errors.ts';
import type { Hash } from './merkle.ts';

/** Largest note we parse (the Go reference caps at 1 MB too). */
export const MAX_NOTE_BYTES = 1024 * 1024;
/** Most signature lines we read in one note (the Go reference's limit). */
export const MAX_NOTE_SIGNATURES = 100;
const ALG_ED25519 = 0x01;
const DASH = '\u2014 ';

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
function unb64(s: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    throw new MalformedInputError('signed note', said('err.tlog.notBase64', '{what} is not base64', { what }));
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
const hex = (b: Uint8Array) => [...b].map((v) => v.toString(16).padStart(2, '0')).join('');

/** A verifier's view of a key: its name, key ID and public key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A signer: the verifier fields plus the private seed. */
export interface NoteSigner extends NoteVerifier {
  readonly seed: Uint8Array;
}

function checkName(name: string): void {
  if (!name || /[\s+]/u.test(name)) throw InvalidArgumentError.expected('a key name without spaces or "+"', 'note key name', name);
}

/** Key ID of an Ed25519 key under `name`. */
export function keyIdOf(name: string, publicKey: Uint8Array): Uint8Array {
  const enc = new TextEncoder().encode(`${name}\n`);
  const buf = new Uint8Array(enc.length + 1 + publicKey.length);
  buf.set(enc);
  buf[enc.length] = ALG_ED25519;
  buf.set(publicKey, enc.length + 1);
  return sha256(buf).subarray(0, 4);
}

/** Make a signer from a 32-byte seed (or a fresh random one). */
export async function makeNoteSigner(name: string, seed: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): Promise<NoteSigner> {
  checkName(name);
  const publicKey = await ed.getPublicKeyAsync(seed);
  return { name, seed, publicKey, keyId: keyIdOf(name, publicKey) };
}

/** The text form of a verifier key. */
export function formatVerifierKey(v: NoteVerifier): string {
  return `${v.name}+${hex(v.keyId)}+${b64(Uint8Array.of(ALG_ED25519, ...v.publicKey))}`;
}

/** The text form of a signer key (keep it secret). */
export function formatSignerKey(s: NoteSigner): string {
  return `PRIVATE+KEY+${s.name}+${hex(s.keyId)}+${b64(Uint8Array.of(ALG_ED25519, ...s.seed))}`;
}

function parseKey(text: string, prefix: string, what: string): { name: string; keyId: Uint8Array; key: Uint8Array } {
  const body = text.trim();
  if (!body.startsWith(prefix)) throw InvalidArgumentError.expected(`a ${what}`, what, text.slice(0, 40));
  const rest = body.slice(prefix.length);
  const i1 = rest.indexOf('+');
  const i2 = rest.indexOf('+', i1 + 1);
  const parts = i1 < 0 || i2 < 0 ? [] : [rest.slice(0, i1), rest.slice(i1 + 1, i2), rest.slice(i2 + 1)];
  if (parts.length !== 3 || !/^[0-9a-f]{8}$/.test(parts[1]!))
    throw InvalidArgumentError.expected(`a ${what} of the form name+hash+key`, what, text.slice(0, 40));
  const raw = unb64(parts[2]!, what);
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) throw InvalidArgumentError.expected(`an Ed25519 ${what}`, what, text.slice(0, 40));
  checkName(parts[0]!);
  return { name: parts[0]!, keyId: Uint8Array.from(parts[1]!.match(/../g)!, (h) => Number.parseInt(h, 16)), key: raw.subarray(1) };
}

/**
 * Parse a verifier key (`name+hash+base64`); the key ID must match the key.
 * @throws {InvalidArgumentError} when it is malformed or its hash does not match.
 */
export function parseVerifierKey(text: string): NoteVerifier {
  const k = parseKey(text, '', 'note verifier key');
  if (hex(keyIdOf(k.name, k.key)) !== hex(k.keyId))
    throw new InvalidArgumentError(
      said('err.tlog.noteVerifierKeyKey', 'note verifier key {name}: key ID does not match the key', { name: k.name }),
    );
  return { name: k.name, keyId: k.keyId, publicKey: k.key };
}

/**
 * Parse a signer key (`PRIVATE+KEY+name+hash+base64`).
 * @throws {InvalidArgumentError} when it is malformed or its hash does not match.
 */
export async function parseSignerKey(text: string): Promise<NoteSigner> {
  const k = parseKey(text, 'PRIVATE+KEY+', 'note signer key');
  const s = await makeNoteSigner(k.name, k.key);
  if (hex(s.keyId) !== hex(k.keyId))
    throw new InvalidArgumentError(
      said('err.tlog.noteSignerKeyKey', 'note signer key {name}: key ID does not match the key', { name: k.name }),
    );
  return s;
}

/**
 * Sign `text` and return the whole note.
 * @throws {InvalidArgumentError} when the text is empty, does not end in a newline, or has a blank line.
 */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  if (!text.endsWith('\n') || text.includes('\n\n') || text === '\n')
    throw InvalidArgumentError.expected('non-empty lines ending in a newline', 'note text', text.slice(0, 40));
  const sig = await ed.signAsync(new TextEncoder().encode(text), signer.seed);
  return `${text}\n${DASH}${signer.name} ${b64(Uint8Array.of(...signer.keyId, ...sig))}\n`;
}

/** What {@link openNote} found. */
export interface OpenedNote {
  readonly text: string;
  /** Whether a signature by the verifier's key was present and valid. */
  readonly verified: boolean;
  /** Names on signature lines from other keys (ignored, as the spec requires). */
  readonly otherSigners: readonly string[];
}

/**
 * Parse a note and check its signature by `verifier`. A signature by the verifier's key that does not verify
 * makes the note fail, as C2SP requires; a note with no signature by it is returned with `verified: false`.
 * @throws {MalformedInputError} when the note is not a well-formed signed note.
 * @throws {LimitExceededError} when it is larger than 1 MiB or has more than 100 signatures.
 */
export async function openNote(note: string, verifier: NoteVerifier): Promise<OpenedNote> {
  if (note.length > MAX_NOTE_BYTES)
    throw new LimitExceededError(
      'MAX_NOTE_BYTES',
      said('err.tlog.signedNoteCharacters', 'a signed note of {v1} characters', { v1: note.length }),
    );
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw new MalformedInputError('signed note', said('err.tlog.noBlankLineBefore', 'no blank line before the signatures'));
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES)
    throw new LimitExceededError(
      'MAX_NOTE_SIGNATURES',
      said('err.tlog.signedNoteWithSignatures', 'a signed note with {v1} signatures', { v1: lines.length }),
    );
  let verified = false;
  const others: string[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m)
      throw new MalformedInputError(
        'signed note',
        said('err.tlog.malformedSignatureLine', 'malformed signature line: {v1}', { v1: line.slice(0, 60) }),
      );
    const blob = unb64(m[2]!, 'signature');
    if (blob.length < 5) throw new MalformedInputError('signed note', said('err.tlog.signatureTooShort', 'signature too short'));
    if (m[1] !== verifier.name || hex(blob.subarray(0, 4)) !== hex(verifier.keyId)) {
      others.push(m[1]!);
      continue;
    }
    if (verified) continue;
    const ok =
      blob.length === 68 && (await ed.verifyAsync(blob.subarray(4), new TextEncoder().encode(text), verifier.publicKey).catch(() => false));
    if (!ok) return { text, verified: false, otherSigners: others };
    verified = true;
  }
  return { text, verified, otherSigners: others };
}

/** The body of a checkpoint. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
  readonly extensions: readonly string[];
}

/** The text a checkpoint note signs. */
export function formatCheckpoint(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${b64(c.root)}\n${c.extensions.map((e) => `${e}\n`).join('')}`;
}

/**
 * Parse a checkpoint body.
 * @throws {MalformedInputError} when a line is missing or malformed.
 */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '')
    throw new MalformedInputError('checkpoint', said('err.tlog.expectedOriginSizeRoot', 'expected origin, size and root lines'));
  const [origin, size, root] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(size))
    throw new MalformedInputError('checkpoint', said('err.tlog.badOriginSizeLine', 'bad origin or size line: {size}', { size }));
  const hash = unb64(root, 'root hash');
  if (hash.length !== 32) throw new MalformedInputError('checkpoint', said('err.tlog.rootHashNotBytes', 'root hash is not 32 bytes'));
  return { origin, size: Number(size), root: hash, extensions: lines.slice(3, -1) };
}
