/**
 * The one message catalogue of every human-facing text, in Simplified Chinese (`ZH`) and
 * English (`EN`): the investigator's report (src/report/messages.ts), the validation codes'
 * explanations, the CLI's output, the platform decision and stamp output, error lines, help and
 * the tool commands' output (trust show, pki show, recover), the library's and the CLI's
 * error messages, and each command's `--help`.
 * Each part keeps its keys in its own file; they meet here. A test checks that both languages
 * have every key with the same `{placeholders}`.
 */
import { EN as EN_REPORT, ZH as ZH_REPORT } from '../report/messages.ts';
import { EN_CODES, ZH_CODES } from './messages-codes.ts';
import { EN_CLI, ZH_CLI } from './messages-cli.ts';
import { EN_OPS, ZH_OPS } from './messages-ops.ts';
import { EN_ERRORS, ZH_ERRORS } from './messages-errors.ts';
import { EN_HELP, ZH_HELP } from './messages-help.ts';
import { EN_TOOLS, ZH_TOOLS } from './messages-tools.ts';
import { EN_ERRORS_LIB, ZH_ERRORS_LIB } from './messages-errors-lib.ts';
import { EN_ERRORS_LIB_B, ZH_ERRORS_LIB_B } from './messages-errors-lib-b.ts';
import { EN_ERRORS_CLI, ZH_ERRORS_CLI } from './messages-errors-cli.ts';
import { EN_ERRORS_FORMATS_A, ZH_ERRORS_FORMATS_A } from './messages-errors-formats-a.ts';
import { EN_ERRORS_FORMATS_B, ZH_ERRORS_FORMATS_B } from './messages-errors-formats-b.ts';
import { EN_ERRORS_MORE_A, ZH_ERRORS_MORE_A } from './messages-errors-more-a.ts';
import { EN_ERRORS_MORE_B, ZH_ERRORS_MORE_B } from './messages-errors-more-b.ts';
import { EN_ERRORS_C2PA_A, ZH_ERRORS_C2PA_A } from './messages-errors-c2pa-a.ts';
import { EN_ERRORS_C2PA_B, ZH_ERRORS_C2PA_B } from './messages-errors-c2pa-b.ts';
import { EN_TOOLS_PKI, ZH_TOOLS_PKI } from './messages-tools-pki.ts';
import { EN_USAGE_A, ZH_USAGE_A } from './messages-usage-a.ts';
import { EN_USAGE_B, ZH_USAGE_B } from './messages-usage-b.ts';
import { EN_USAGE_C, ZH_USAGE_C } from './messages-usage-c.ts';

/** English messages. */
export const EN = {
  ...EN_REPORT,
  ...EN_CODES,
  ...EN_CLI,
  ...EN_OPS,
  ...EN_ERRORS,
  ...EN_HELP,
  ...EN_TOOLS,
  ...EN_ERRORS_LIB,
  ...EN_ERRORS_LIB_B,
  ...EN_ERRORS_CLI,
  ...EN_ERRORS_FORMATS_A,
  ...EN_ERRORS_FORMATS_B,
  ...EN_ERRORS_MORE_A,
  ...EN_ERRORS_MORE_B,
  ...EN_ERRORS_C2PA_A,
  ...EN_ERRORS_C2PA_B,
  ...EN_TOOLS_PKI,
  ...EN_USAGE_A,
  ...EN_USAGE_B,
  ...EN_USAGE_C,
};

/** A message key. */
export type MessageKey = keyof typeof EN;

/** Simplified Chinese messages. */
export const ZH: Readonly<Record<MessageKey, string>> = {
  ...ZH_REPORT,
  ...ZH_CODES,
  ...ZH_CLI,
  ...ZH_OPS,
  ...ZH_ERRORS,
  ...ZH_HELP,
  ...ZH_TOOLS,
  ...ZH_ERRORS_LIB,
  ...ZH_ERRORS_LIB_B,
  ...ZH_ERRORS_CLI,
  ...ZH_ERRORS_FORMATS_A,
  ...ZH_ERRORS_FORMATS_B,
  ...ZH_ERRORS_MORE_A,
  ...ZH_ERRORS_MORE_B,
  ...ZH_ERRORS_C2PA_A,
  ...ZH_ERRORS_C2PA_B,
  ...ZH_TOOLS_PKI,
  ...ZH_USAGE_A,
  ...ZH_USAGE_B,
  ...ZH_USAGE_C,
};
