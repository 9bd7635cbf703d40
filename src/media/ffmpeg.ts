/**
 * ffmpeg / ffprobe: locating the binaries, running them, probing media and turning their
 * failures into typed errors. Node-only.
 *
 * Discovery: `AIGC_FFMPEG` / `AIGC_FFPROBE` (a path to the executable) win; otherwise the
 * first executable `ffmpeg` / `ffprobe` on `PATH`. Debian/Ubuntu: `apt-get install ffmpeg`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import ffmpegFactory from 'fluent-ffmpeg';
import { ExternalToolError, IoError, MalformedInputError, type ToolkitError, said } from '../errors.ts';

/** The two external programs used for audio and video. */
export type MediaTool = 'ffmpeg' | 'ffprobe';

/** Environment variable that overrides the location of each tool. */
export const TOOL_ENV: Readonly<Record<MediaTool, string>> = { ffmpeg: 'AIGC_FFMPEG', ffprobe: 'AIGC_FFPROBE' };

/** How to get the tools, for error messages and the README. */
export const INSTALL_HINT =
  'install ffmpeg (Debian/Ubuntu: `apt-get install ffmpeg`; macOS: `brew install ffmpeg`) or set AIGC_FFMPEG and AIGC_FFPROBE to the executables';

/** Largest stdout kept from one run (PCM decodes in tests stay far below). */
export const MAX_TOOL_STDOUT = 512 * 1024 * 1024;
/** Largest stderr kept from one run (the tail is what matters). */
const MAX_STDERR = 256 * 1024;

const cache = new Map<string, string>();

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of `tool`, from its environment variable or `PATH`. Cached per environment.
 * @throws {ExternalToolError} when the tool cannot be found or the variable points at nothing runnable.
 */
export function locateTool(tool: MediaTool, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[TOOL_ENV[tool]];
  const key = `${tool}\0${override ?? ''}\0${env.PATH ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let found: string | undefined;
  if (override) {
    if (!isExecutable(override)) {
      throw new ExternalToolError(
        said(
          'err.tool.notExecutable',
          '{env}={path} is not an executable file; install ffmpeg (Debian/Ubuntu: `apt-get install ffmpeg`; macOS: `brew install ffmpeg`) or set AIGC_FFMPEG and AIGC_FFPROBE to the executables',
          { env: TOOL_ENV[tool], path: override },
        ),
      );
    }
    found = override;
  } else {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
      if (dir && isExecutable(path.join(dir, tool))) {
        found = path.join(dir, tool);
        break;
      }
    }
  }
  if (!found)
    throw new ExternalToolError(
      said(
        'err.tool.notFound',
        '{tool} was not found on PATH; install ffmpeg (Debian/Ubuntu: `apt-get install ffmpeg`; macOS: `brew install ffmpeg`) or set AIGC_FFMPEG and AIGC_FFPROBE to the executables',
        { tool },
      ),
    );
  cache.set(key, found);
  return found;
}

/** Forget cached tool locations (tests that change PATH). */
export function clearToolCache(): void {
  cache.clear();
  encoderCache.clear();
}

/** Output of a finished tool run. */
export interface ToolResult {
  readonly stdout: Buffer;
  /** The tail of stderr (at most 256 KiB). */
  readonly stderr: string;
}

/** Options for {@link runTool}. */
export interface RunOptions {
  /** Bytes fed to stdin. */
  readonly stdin?: Uint8Array;
  /** The media file being processed, named in errors about bad input. */
  readonly subject?: string;
  /** Kill the process after this many milliseconds (default: none). */
  readonly timeoutMs?: number;
  /** Environment used for locating the tool (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Run ffmpeg or ffprobe with `args` and collect its output.
 * @throws {ExternalToolError} when the tool is missing, crashes or fails for a reason other than its input.
 * @throws {MalformedInputError} when the tool reports that the input is not valid media.
 * @throws {IoError} when the tool reports that a file does not exist or cannot be written.
 * Stdout beyond {@link MAX_TOOL_STDOUT} bytes kills the tool with an ExternalToolError.
 */
export function runTool(tool: MediaTool, args: readonly string[], opts: RunOptions = {}): Promise<ToolResult> {
  const bin = locateTool(tool, opts.env);
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let failed: ToolkitError | undefined;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          failed = new ExternalToolError(said('err.tool.timeout', '{tool} timed out after {ms} ms', { tool, ms: String(opts.timeoutMs) }));
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (d: Buffer) => {
      outLen += d.length;
      if (outLen > MAX_TOOL_STDOUT) {
        failed ??= new ExternalToolError(
          said('err.tool.output', '{tool} produced more than {max} bytes of output', { tool, max: MAX_TOOL_STDOUT }),
        );
        child.kill('SIGKILL');
      } else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.length > MAX_STDERR) err = err.slice(-MAX_STDERR / 2);
    });
    child.stdin.on('error', () => undefined); // the tool may exit before reading all of stdin
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(
        new ExternalToolError(
          said(
            'err.tool.cannotRun',
            'cannot run {path}: {why}; install ffmpeg (Debian/Ubuntu: `apt-get install ffmpeg`; macOS: `brew install ffmpeg`) or set AIGC_FFMPEG and AIGC_FFPROBE to the executables',
            { path: bin, why: e.code ?? e.message },
          ),
          { cause: e },
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (failed) return reject(failed);
      if (code === 0) return resolve({ stdout: Buffer.concat(out), stderr: err });
      reject(classifyToolFailure(tool, code === null ? `signal ${signal}` : `exit code ${code}`, err, opts.subject));
    });
    child.stdin.end(opts.stdin ? Buffer.from(opts.stdin.buffer, opts.stdin.byteOffset, opts.stdin.byteLength) : undefined);
  });
}

const BAD_INPUT =
  /Invalid data found when processing input|moov atom not found|could not find codec parameters|Invalid NAL unit|Header missing|does not contain any stream|Failed to read frame size|Error while decoding|Invalid frame|truncated|partial file|unspecified size|no frame!|Format .* detected only with low score/i;

/** Map a failed run's stderr to the most specific toolkit error (returned, not thrown). */
export function classifyToolFailure(tool: MediaTool, status: string, stderr: string, subject?: string, cause?: unknown): ToolkitError {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/, '').trim())
    .filter(Boolean);
  const last = lines.slice(-3).join(' | ') || '(no output)';
  if (BAD_INPUT.test(stderr)) {
    const reason = lines.find((l) => BAD_INPUT.test(l)) ?? last;
    return new MalformedInputError(
      'media',
      subject
        ? said('err.tool.cannotReadPath', '{tool} cannot read {path}: {reason}', { tool, path: subject, reason })
        : said('err.tool.cannotRead', '{tool} cannot read: {reason}', { tool, reason }),
      undefined,
      { cause },
    );
  }
  if (/No such file or directory|Permission denied/i.test(stderr))
    return new IoError(
      subject
        ? said('err.tool.failedOnPath', '{tool} failed on {path}: {reason}', { tool, path: subject, reason: last })
        : said('err.tool.failedOn', '{tool} failed on: {reason}', { tool, reason: last }),
      subject,
      { cause },
    );
  return new ExternalToolError(
    subject
      ? said('err.tool.failedStatusOn', '{tool} failed ({status}) on {path}: {reason}', { tool, status, path: subject, reason: last })
      : said('err.tool.failedStatus', '{tool} failed ({status}): {reason}', { tool, status, reason: last }),
    { cause },
  );
}

/** The subset of ffprobe's `-show_streams` output the toolkit reads. */
export interface ProbeStream {
  readonly index: number;
  readonly codec_type: 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | string;
  readonly codec_name?: string;
  readonly width?: number;
  readonly height?: number;
  readonly pix_fmt?: string;
  readonly sample_rate?: string;
  readonly sample_fmt?: string;
  readonly channels?: number;
  readonly channel_layout?: string;
  readonly bits_per_raw_sample?: string;
  readonly bits_per_sample?: number;
  readonly bit_rate?: string;
  readonly r_frame_rate?: string;
  readonly avg_frame_rate?: string;
  readonly duration?: string;
  readonly start_time?: string;
  readonly nb_frames?: string;
  readonly disposition?: Record<string, number>;
  readonly tags?: Record<string, string>;
  readonly side_data_list?: { side_data_type?: string; rotation?: number }[];
}

/** ffprobe's view of a media file. */
export interface ProbeResult {
  readonly format: {
    readonly format_name: string;
    readonly duration?: string;
    readonly start_time?: string;
    readonly bit_rate?: string;
    readonly tags?: Record<string, string>;
  };
  readonly streams: readonly ProbeStream[];
}

/**
 * Probe a media file with ffprobe.
 * @throws {MalformedInputError} when ffprobe cannot parse it or finds no stream.
 * @throws {ExternalToolError} when ffprobe is missing or misbehaves.
 * @throws {IoError} when the file cannot be read.
 */
export async function probe(file: string): Promise<ProbeResult> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file], {
    subject: file,
  });
  let parsed: ProbeResult;
  try {
    parsed = JSON.parse(stdout.toString('utf8')) as ProbeResult;
  } catch (err) {
    throw new ExternalToolError(said('err.tool.probeJson', 'ffprobe printed something other than JSON for {path}', { path: file }), {
      cause: err,
    });
  }
  if (!parsed?.format || !Array.isArray(parsed.streams) || parsed.streams.length === 0) {
    throw new MalformedInputError('media', said('err.tool.noStream', 'ffprobe found no audio or video stream in {path}', { path: file }));
  }
  return parsed;
}

/** Duration of a probed file in milliseconds (format duration, else the longest stream), or NaN. */
export function probeDurationMs(p: ProbeResult): number {
  const fmt = Number(p.format.duration);
  if (Number.isFinite(fmt) && fmt > 0) return fmt * 1000;
  const streams = p.streams.map((s) => Number(s.duration)).filter((d) => Number.isFinite(d) && d > 0);
  return streams.length ? Math.max(...streams) * 1000 : Number.NaN;
}

const encoderCache = new Map<string, Set<string>>();

/**
 * Whether this ffmpeg build has the encoder `name` (e.g. `libx264`, `libmp3lame`).
 * @throws {ExternalToolError} when ffmpeg is missing.
 */
export async function hasEncoder(name: string): Promise<boolean> {
  const bin = locateTool('ffmpeg');
  let set = encoderCache.get(bin);
  if (!set) {
    const { stdout } = await runTool('ffmpeg', ['-hide_banner', '-encoders']);
    set = new Set<string>();
    for (const line of stdout.toString('utf8').split('\n')) {
      const m = /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line);
      if (m) set.add(m[1]);
    }
    encoderCache.set(bin, set);
  }
  return set.has(name);
}

/**
 * A fluent-ffmpeg command bound to the located ffmpeg/ffprobe.
 * @throws {ExternalToolError} when ffmpeg is missing.
 */
export function fluentCommand(): ffmpegFactory.FfmpegCommand {
  const cmd = ffmpegFactory({ stdoutLines: 0 });
  cmd.setFfmpegPath(locateTool('ffmpeg'));
  try {
    cmd.setFfprobePath(locateTool('ffprobe'));
  } catch {
    /* ffprobe is optional for fluent commands that do not probe */
  }
  return cmd;
}

/**
 * Run a fluent-ffmpeg command to completion, mapping failures like {@link runTool}.
 * @throws {MalformedInputError} {@link ExternalToolError} {@link IoError}
 */
export function runFluent(cmd: ffmpegFactory.FfmpegCommand, subject?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    cmd.on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
      reject(classifyToolFailure('ffmpeg', err.message.split('\n')[0] ?? 'failed', stderr ?? err.message, subject, err));
    });
    cmd.on('end', () => resolve());
    cmd.run();
  });
}
