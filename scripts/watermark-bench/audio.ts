/** Audio watermark figures (see bench-watermark.ts). */
type Line = (bench: string, unit: string, ours: number | null, extra?: { ceiling?: number | null; target?: number | string | null; n?: number }) => void;

/** Run the audio figures. */
export async function benchAudio(line: Line, _quick: boolean): Promise<void> {
  line('watermark.audio.recovery.mp3-128k', 'ratio', null, { target: '>= 0.99', n: 0 });
}
