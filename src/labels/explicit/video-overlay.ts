/**
 * Visible label on video (GB 45438-2025 §5.4): a prominent label on the opening frames for 2.5 s
 * (the rule asks ≥ 2 s) plus a persistent corner mark for the whole duration, both with glyph ink
 * ≥ 5 % of the shortest side. The labels are PNGs drawn by the same glyph renderer as images and
 * composited by ffmpeg's `overlay` filter (no drawtext, no fontconfig). Audio is copied; video is
 * re-encoded with H.264 (`-crf 18 -preset veryfast`), or MPEG-4 Part 2 / VP9 where needed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, UnsupportedFormatError, said } from '../../errors.ts';
import { fluentCommand, hasEncoder, probe, probeDurationMs, runFluent, runTool, type ProbeStream } from '../../media/ffmpeg.ts';
import { chooseLabelColors, meanLuminance } from './contrast.ts';
import { labelPng, measureLabel, rasterizeLabel, type Box } from './label-raster.ts';
import { assertLabelFits, inkHeightFor, validateMargin, validateScale } from './options.ts';
import { assertInputFile, writeViaTemp } from './output-file.ts';
import { LABEL_POSITIONS, placeLabel, validatePosition, type LabelPosition } from './placement.ts';
import { validateLabelText } from './text.ts';

/** How long the opening label shows by default (seconds); GB 45438 asks for at least 2 s. */
export const DEFAULT_OPENING_SECONDS = 2.5;
/** Shortest opening label accepted (seconds). */
export const MIN_OPENING_SECONDS = 2;
/** Default relative ink height of the opening label (more prominent than the corner mark). */
export const DEFAULT_OPENING_SCALE = 0.09;
/** Output containers the overlay writes. */
export const VIDEO_EXTENSIONS = ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.flv', '.avi'] as const;

/** Where the opening label goes: any label position, or the centre of the frame. */
export type OpeningPosition = LabelPosition | 'center';

/** Options of {@link renderVideoLabel}. */
export interface VideoLabelOptions {
  /** Label text; default "AI生成". */
  readonly text?: string;
  /** Position of the persistent corner mark; default `bottom-right`. */
  readonly position?: LabelPosition;
  /** Relative ink height of the corner mark (0.05–0.5, default 0.06). */
  readonly scale?: number;
  /** Position of the opening label; default `center`. */
  readonly openingPosition?: OpeningPosition;
  /** Relative ink height of the opening label (0.05–0.5, default 0.09). */
  readonly openingScale?: number;
  /** How long the opening label shows (≥ 2 s, default 2.5 s). */
  readonly openingSeconds?: number;
  /** Margin from the frame edges in pixels (default 2.5 % of the shortest side). */
  readonly margin?: number;
}

/** What was drawn, for the manifest's GB 45438 assertion. */
export interface VideoLabelInfo {
  readonly kind: 'video-overlay';
  readonly text: string;
  /** Position of the persistent mark. */
  readonly position: LabelPosition;
  /** Glyph ink height / shortest side of the smaller label (the corner mark). */
  readonly relativeHeight: number;
  readonly openingPosition: OpeningPosition;
  readonly openingRelativeHeight: number;
  /** How long the opening label shows (ms), capped by the video's duration. */
  readonly durationMs: number;
  /** Duration of the video (ms). */
  readonly mediaDurationMs: number;
  /** The corner mark stays for the whole duration. */
  readonly persistentMark: true;
  /** Displayed frame size. */
  readonly width: number;
  readonly height: number;
  /** Video encoder used. */
  readonly encoder: string;
}

/** Result of {@link renderVideoLabel}. */
export interface VideoLabelResult {
  readonly output: string;
  readonly info: VideoLabelInfo;
}

function validateOpeningPosition(p: unknown): OpeningPosition {
  if (p === undefined || p === 'center') return 'center';
  if (typeof p === 'string' && (LABEL_POSITIONS as readonly string[]).includes(p)) return p as LabelPosition;
  throw InvalidArgumentError.expected(`center or one of ${LABEL_POSITIONS.join(', ')}`, 'opening label position', p);
}

/** Displayed size of a video stream (rotation metadata of ±90° swaps the sides). */
export function displayedVideoSize(s: ProbeStream): { width: number; height: number } {
  const w = s.width ?? 0,
    h = s.height ?? 0;
  const rot = s.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation ?? Number(s.tags?.rotate ?? 0);
  return Math.abs(Math.round(rot / 90)) % 2 === 1 ? { width: h, height: w } : { width: w, height: h };
}

/** Mean luminance under each box, from one downscaled frame at `atSeconds` (0.5 when unreadable). */
async function sampleLuminance(input: string, atSeconds: number, W: number, H: number, boxes: Box[]): Promise<number[]> {
  const sw = Math.min(W, 256),
    sh = Math.max(1, Math.round((H * sw) / W));
  try {
    const { stdout } = await runTool(
      'ffmpeg',
      [
        '-v',
        'error',
        '-ss',
        atSeconds.toFixed(3),
        '-i',
        input,
        '-frames:v',
        '1',
        '-vf',
        `scale=${sw}:${sh}`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        '-',
      ],
      { subject: input },
    );
    if (stdout.length < sw * sh * 3) return boxes.map(() => 0.5);
    return boxes.map((b) => {
      const x0 = Math.floor((b.x * sw) / W),
        y0 = Math.floor((b.y * sh) / H);
      const x1 = Math.max(x0 + 1, Math.ceil(((b.x + b.w) * sw) / W)),
        y1 = Math.max(y0 + 1, Math.ceil(((b.y + b.h) * sh) / H));
      const rows: Buffer[] = [];
      for (let y = y0; y < Math.min(y1, sh); y++) rows.push(stdout.subarray((y * sw + x0) * 3, (y * sw + Math.min(x1, sw)) * 3));
      return meanLuminance(Buffer.concat(rows), 3);
    });
  } catch {
    return boxes.map(() => 0.5);
  }
}

async function videoEncoderArgs(ext: string, pixFmt: string | undefined): Promise<{ encoder: string; args: string[] }> {
  const keep = pixFmt && ['yuv420p', 'yuv422p', 'yuv444p'].includes(pixFmt) ? pixFmt : 'yuv420p';
  if (ext === '.webm') {
    if (!(await hasEncoder('libvpx-vp9')))
      throw new UnsupportedFormatError(said('err.lbl.thisFfmpegHasNo', 'this ffmpeg has no VP9 encoder (libvpx-vp9) for a WebM output'));
    return {
      encoder: 'libvpx-vp9',
      args: ['-c:v', 'libvpx-vp9', '-crf', '24', '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4', '-pix_fmt', keep],
    };
  }
  if (await hasEncoder('libx264'))
    return { encoder: 'libx264', args: ['-c:v', 'libx264', '-crf', '18', '-preset', 'veryfast', '-pix_fmt', keep] };
  return { encoder: 'mpeg4', args: ['-c:v', 'mpeg4', '-q:v', '2', '-pix_fmt', 'yuv420p'] };
}

/**
 * Draw the opening label and the persistent corner mark on the video `input`, writing `output`
 * (same container family; the input is never overwritten).
 * @throws {InvalidArgumentError} for bad options or text, a frame under 64 px, or output = input.
 * @throws {UnsupportedFormatError} for an output container other than MP4/M4V/MOV/MKV/WebM or a file without video.
 * @throws {MalformedInputError} when ffprobe/ffmpeg cannot read the input.
 * @throws {ExternalToolError} when ffmpeg/ffprobe is missing or fails.
 * @throws {IoError} when the input cannot be read or the output written.
 */
export async function renderVideoLabel(input: string, output: string, options: VideoLabelOptions = {}): Promise<VideoLabelResult> {
  const text = validateLabelText(options.text);
  const position = validatePosition(options.position);
  const scale = validateScale(options.scale);
  const openingPosition = validateOpeningPosition(options.openingPosition);
  const openingScale = validateScale(options.openingScale, 'opening label scale', DEFAULT_OPENING_SCALE);
  const openingSeconds = options.openingSeconds ?? DEFAULT_OPENING_SECONDS;
  if (typeof openingSeconds !== 'number' || !Number.isFinite(openingSeconds) || openingSeconds < MIN_OPENING_SECONDS) {
    throw InvalidArgumentError.expected(
      `a number of seconds ≥ ${MIN_OPENING_SECONDS} (GB 45438 §5.4)`,
      'opening label duration',
      options.openingSeconds,
    );
  }
  const ext = path.extname(output).toLowerCase();
  if (!(VIDEO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UnsupportedFormatError(
      said('err.lbl.videoOutputMustEnd', 'video output must end in {v1}, not {v2}', {
        v1: VIDEO_EXTENSIONS.join(', '),
        v2: JSON.stringify(path.basename(output)),
      }),
    );
  }
  await assertInputFile(input);
  const info = await probe(input);
  const video = info.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) throw new UnsupportedFormatError(said('err.lbl.hasNoVideoStream', '{input} has no video stream', { input }));
  const { width: W, height: H } = displayedVideoSize(video);
  assertLabelFits(W, H, 'video');
  const minSide = Math.min(W, H);
  const margin = validateMargin(options.margin, minSide);
  const mediaDurationMs = probeDurationMs(info);
  const start = Number(video.start_time ?? info.format.start_time ?? 0) || 0;

  const markInk = inkHeightFor(minSide, scale),
    openInk = inkHeightFor(minSide, openingScale);
  const markGeo = measureLabel(text, markInk),
    openGeo = measureLabel(text, openInk);
  const markBox = placeLabel(W, H, markGeo.width, markGeo.height, position, margin);
  const openBox =
    openingPosition === 'center'
      ? { ...placeLabel(W, H, openGeo.width, openGeo.height, 'left', margin), x: Math.round((W - openGeo.width) / 2) }
      : placeLabel(W, H, openGeo.width, openGeo.height, openingPosition, margin);
  const probeAt = Number.isFinite(mediaDurationMs) ? Math.min(1, mediaDurationMs / 2000) : 0;
  const [openLum, markLum] = await sampleLuminance(input, start + probeAt, W, H, [openBox, markBox]);
  const { encoder, args: encArgs } = await videoEncoderArgs(ext, video.pix_fmt);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-video-label-'));
  try {
    const openPng = path.join(dir, 'opening.png'),
      markPng = path.join(dir, 'mark.png');
    await writeFile(openPng, await labelPng(await rasterizeLabel(text, openInk, chooseLabelColors(openLum))));
    await writeFile(markPng, await labelPng(await rasterizeLabel(text, markInk, chooseLabelColors(markLum))));
    const until = (start + openingSeconds).toFixed(3);
    const overlap = openingPosition === position;
    const filter =
      `[0:v][1:v]overlay=x=${openBox.x}:y=${openBox.y}:eof_action=repeat:enable='lte(t,${until})'[v1];` +
      `[v1][2:v]overlay=x=${markBox.x}:y=${markBox.y}:eof_action=repeat${overlap ? `:enable='gt(t,${until})'` : ''}[vout]`;
    await writeViaTemp(input, output, async (tmp) => {
      const cmd = fluentCommand()
        .input(input)
        .input(openPng)
        .input(markPng)
        .complexFilter(filter)
        .outputOptions([
          '-map',
          '[vout]',
          '-map',
          '0:a?',
          '-map',
          '0:s?',
          '-c:a',
          'copy',
          '-c:s',
          'copy',
          ...encArgs,
          '-fps_mode',
          'passthrough',
          '-map_metadata',
          '0',
          '-map_chapters',
          '0',
        ])
        .output(tmp);
      await runFluent(cmd, input);
    });
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  const durationMs = Number.isFinite(mediaDurationMs) ? Math.min(openingSeconds * 1000, mediaDurationMs) : openingSeconds * 1000;
  return {
    output,
    info: {
      kind: 'video-overlay',
      text,
      position,
      relativeHeight: Math.min(markInk, openInk) / minSide,
      openingPosition,
      openingRelativeHeight: openInk / minSide,
      durationMs,
      mediaDurationMs,
      persistentMark: true,
      width: W,
      height: H,
      encoder,
    },
  };
}
