/**
 * The CLI's own refusals and usage errors (argument checks in `cli/`) as catalogue entries, in
 * both languages. Each English text is the message's first line as the command builds it; the
 * usage text that follows it is not part of the entry.
 */

/** English. */
export const EN_ERRORS_CLI = {
  // <EN>
} as const;

/** A key of the CLI's own error messages. */
export type ErrorsCliKey = keyof typeof EN_ERRORS_CLI;

/** Simplified Chinese. */
export const ZH_ERRORS_CLI: Record<ErrorsCliKey, string> = {
  // <ZH>
};
