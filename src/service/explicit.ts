/**
 * Apply the GB 45438 explicit label before signing: a visible overlay on images and
 * video, an audible cue on audio. Chooses the renderer from the detected container
 * (MP4/MOV with a video stream → video, M4A/MP4 audio-only → audio).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  renderAudioCue,
  renderAudioCueBytes,
  renderImageLabel,
  renderVideoLabel,
  renderVideoLabelBytes,
  type CuePlacement,
  type ExplicitLabelInfo as RenderedInfo,
  type LabelPosition,
} from '../labels/explicit/index.ts';
import { probe } from '../media/ffmpeg.ts';
import type { ExplicitLabelInfo } from '../manifest/index.ts';
import type { FormatHandler } from '../formats/types.ts';
import type { MediaInput } from './input.ts';

/** Options for the explicit label (CLI: --label-text, --label-position, --label-scale, --audio-cue, --voice-clip). */
export interface ExplicitOptions {
  text?: string;
  position?: LabelPosition;
  scale?: number;
  audioCue?: CuePlacement;
  voiceClip?: string;
}

/** The labelled media, ready for the implicit label and the manifest. */
export interface ExplicitResult {
  input: MediaInput;
  info: ExplicitLabelInfo;
  /** Remove temporary files. */
  cleanup(): Promise<void>;
}

/**
 * Render the explicit label onto `input`, whose container `handler` has detected.
 * @throws {InvalidArgumentError} for label text without both GB 45438 elements or an image too small.
 * @throws {ExternalToolError} when ffmpeg is needed and missing; {@link MalformedInputError} for corrupt media.
 */
export async function applyExplicitLabel(input: MediaInput, handler: FormatHandler, opts: ExplicitOptions): Promise<ExplicitResult> {
  const noop = async () => undefined;
  if (handler.mediaKind === 'image') {
    const bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
    const { bytes: out, info } = await renderImageLabel(bytes, imageOpts(opts));
    return { input: out, info: toManifestInfo(info), cleanup: noop };
  }
  const kind = await mediaKind(input, handler);
  const ext = typeof input === 'string' ? path.extname(input).slice(1).toLowerCase() || handler.extensions[0]! : handler.extensions[0]!;
  if (typeof input !== 'string') {
    const r =
      kind === 'video' ? await renderVideoLabelBytes(input, ext, imageOpts(opts)) : await renderAudioCueBytes(input, ext, audioOpts(opts));
    return { input: r.bytes, info: toManifestInfo(r.info), cleanup: noop };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-explicit-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const out = path.join(dir, `labelled.${ext}`);
    const r = kind === 'video' ? await renderVideoLabel(input, out, imageOpts(opts)) : await renderAudioCue(input, out, audioOpts(opts));
    return { input: out, info: toManifestInfo(r.info), cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function mediaKind(input: MediaInput, handler: FormatHandler): Promise<'video' | 'audio'> {
  if (handler.mediaKind !== 'video') return 'audio';
  if (typeof input !== 'string') return 'video';
  const p = await probe(input);
  // Cover art (an attached picture, or a lone MJPEG/PNG frame in an audio container) is not video;
  // in AVI, MJPEG is a video codec.
  const coverArt = (s: (typeof p.streams)[number]) =>
    !!s.disposition?.attached_pic || (handler.id !== 'avi' && (s.codec_name === 'mjpeg' || s.codec_name === 'png'));
  return p.streams.some((s) => s.codec_type === 'video' && !coverArt(s)) ? 'video' : 'audio';
}

function imageOpts(o: ExplicitOptions) {
  return { ...(o.text ? { text: o.text } : {}), ...(o.position ? { position: o.position } : {}), ...(o.scale ? { scale: o.scale } : {}) };
}

function audioOpts(o: ExplicitOptions) {
  return { ...(o.audioCue ? { placement: o.audioCue } : {}), ...(o.voiceClip ? { voiceClip: o.voiceClip } : {}) };
}

/** Reduce a renderer's record to what the GB 45438 assertion keeps. */
export function toManifestInfo(info: RenderedInfo): ExplicitLabelInfo {
  switch (info.kind) {
    case 'image-overlay':
      return { kind: info.kind, text: info.text, position: info.position, relativeHeight: round(info.relativeHeight) };
    case 'video-overlay':
      return {
        kind: info.kind,
        text: info.text,
        position: info.position,
        relativeHeight: round(info.relativeHeight),
        durationMs: Math.round(info.durationMs),
      };
    case 'audio-cue':
      return {
        kind: info.kind,
        text: info.cue === 'morse' ? 'Morse AI (.- ..)' : 'voice clip',
        position: info.placement,
        durationMs: Math.round(info.durationMs),
      };
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
