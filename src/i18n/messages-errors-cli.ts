/**
 * The CLI's own refusals and usage errors (argument checks in `cli/`) as catalogue entries, in
 * both languages. Each English text is the message's first line as the command builds it; the
 * usage text that follows it is not part of the entry.
 */

/** English. */
export const EN_ERRORS_CLI = {
  'err.cli.stdinTwice': "'-' (standard input) given twice",
  'err.cli.walkDepth': 'folders nested deeper than {max} under {root}',
  'err.cli.tsaNeedsUrl': '--tsa-optional, --tsa-timeout and --tsa-retries need --tsa URL',
  'err.cli.noOcsp': '--no-ocsp contradicts --ocsp/--ocsp-url',
  'err.cli.requireVerify': '--require applies to verify and inspect',
  'err.cli.oneFileOption': '{option} names one file; it cannot be used with several inputs',
  'err.cli.outputFolder': 'missing required option -o/--output (a folder)',
  'err.cli.notFolder': 'cannot create outputs in {path}: not an existing folder (-o)',
  'err.cli.noOutFolder': 'cannot create {path}: folder {folder} does not exist (-o)',
  'err.cli.fragment': '--fragment needs one init segment and -o naming its output file',
  'err.cli.trustNothing': "expected 'aigc trust show', got nothing",
  'err.cli.trustGot': "expected 'aigc trust show', got '{sub}'",
  'err.cli.trustFolder': '--trust folder {folder} holds no .pem/.crt/.cer file',
  'err.cli.trustUnusable': 'unusable trust configuration: {message}',
  'err.cli.unexpectedQuoted': "unexpected argument '{arg}'",
  'err.cli.oneCert': 'expected exactly one certificate file',
  'err.cli.oneChain': 'expected exactly one chain file',
  'err.cli.unknownSub': "unknown {command} sub-command '{sub}'",
  'err.cli.missingSub': 'missing {command} sub-command',
  'err.cli.keyOrRemote': 'use either --key or --remote-signer, not both',
  'err.cli.dirAndFiles': 'expected DIR and at least one FILE',
  'err.cli.repoOrRecover': 'expected: aigc repo add | aigc recover',
  'err.cli.oneFileArg': 'expected exactly one FILE',
  'err.cli.noStoreIn': 'no C2PA manifest store found in {path}',
  'err.cli.extractFolder': 'cannot create --extract folder {path}: {why}',
  'err.cli.logKey': 'missing required option --key, --key-file or --dir',
  'err.cli.nArgs': 'expected {count} argument(s)',
  'err.cli.logSize': '--size other than the current size needs a checkpoint of that size; prove against the current one',
  'err.cli.subcommand': 'expected a subcommand: {names}',
  'err.cli.signerServe': 'signer serve signs with --key, not --remote-signer',
  'err.cli.oneFile': 'expected exactly one file',
  'err.cli.wmOverwrite': 'refusing to overwrite the input; choose another -o',
  'err.cli.psnr': '--psnr is for images; use --snr for audio',
  'err.cli.snr': '--snr is for audio; use --psnr for images',
  'err.cli.embedOrDetect': "expected 'embed' or 'detect', got '{sub}'",
  // <EN>
} as const;

/** A key of the CLI's own error messages. */
export type ErrorsCliKey = keyof typeof EN_ERRORS_CLI;

/** Simplified Chinese. */
export const ZH_ERRORS_CLI: Record<ErrorsCliKey, string> = {
  'err.cli.stdinTwice': "'-'（标准输入）给出了两次",
  'err.cli.walkDepth': '{root} 下的文件夹嵌套超过 {max} 层',
  'err.cli.tsaNeedsUrl': '--tsa-optional、--tsa-timeout 和 --tsa-retries 需要与 --tsa URL 一起使用',
  'err.cli.noOcsp': '--no-ocsp 与 --ocsp/--ocsp-url 互相矛盾',
  'err.cli.requireVerify': '--require 只用于 verify 和 inspect',
  'err.cli.oneFileOption': '{option} 只能指定一个文件，不能用于多个输入',
  'err.cli.outputFolder': '缺少必需的选项 -o/--output（一个文件夹）',
  'err.cli.notFolder': '无法在 {path} 中创建输出：它不是已有的文件夹（-o）',
  'err.cli.noOutFolder': '无法创建 {path}：文件夹 {folder} 不存在（-o）',
  'err.cli.fragment': '--fragment 需要一个初始化分段，以及指定其输出文件的 -o',
  'err.cli.trustNothing': "应为 'aigc trust show'，但没有给出子命令",
  'err.cli.trustGot': "应为 'aigc trust show'，实际为 '{sub}'",
  'err.cli.trustFolder': '--trust 文件夹 {folder} 中没有 .pem/.crt/.cer 文件',
  'err.cli.trustUnusable': '信任配置不可用：{message}',
  'err.cli.unexpectedQuoted': "多余的参数 '{arg}'",
  'err.cli.oneCert': '需要恰好一个证书文件',
  'err.cli.oneChain': '需要恰好一个证书链文件',
  'err.cli.unknownSub': "未知的 {command} 子命令 '{sub}'",
  'err.cli.missingSub': '缺少 {command} 子命令',
  'err.cli.keyOrRemote': '--key 与 --remote-signer 只能二选一',
  'err.cli.dirAndFiles': '需要 DIR 和至少一个 FILE',
  'err.cli.repoOrRecover': '应为：aigc repo add | aigc recover',
  'err.cli.oneFileArg': '需要恰好一个 FILE',
  'err.cli.noStoreIn': '在 {path} 中没有找到 C2PA 清单存储',
  'err.cli.extractFolder': '无法创建 --extract 文件夹 {path}：{why}',
  'err.cli.logKey': '缺少必需的选项 --key、--key-file 或 --dir',
  'err.cli.nArgs': '需要 {count} 个参数',
  'err.cli.logSize': '--size 与当前大小不同时，需要该大小的检查点；请针对当前检查点证明',
  'err.cli.subcommand': '需要一个子命令：{names}',
  'err.cli.signerServe': 'signer serve 使用 --key 签名，而不是 --remote-signer',
  'err.cli.oneFile': '需要恰好一个文件',
  'err.cli.wmOverwrite': '拒绝覆盖输入文件；请选择另一个 -o',
  'err.cli.psnr': '--psnr 用于图像；音频请使用 --snr',
  'err.cli.snr': '--snr 用于音频；图像请使用 --psnr',
  'err.cli.embedOrDetect': "应为 'embed' 或 'detect'，实际为 '{sub}'",
  // <ZH>
};
