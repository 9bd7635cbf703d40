/** Containers the audio watermark serves (format handler ids); kept apart so callers need not load ffmpeg code. */

/** Containers the audio watermark writes. */
export const WATERMARK_AUDIO_FORMATS = ['wav', 'mp3', 'flac'] as const;
/** Containers the audio detector reads (any audio ffmpeg decodes in them). */
export const WATERMARK_AUDIO_DETECT_FORMATS = ['wav', 'mp3', 'flac', 'ogg'] as const;
