/**
 * The library's error messages as catalogue entries, in both languages: what a CLI user meets
 * when a file is not a supported or well-formed container, a key or certificate cannot be used,
 * a safety limit is hit, the service or the watermark refuses. Each English text is the message
 * the library builds (`said(key, template, params)` at the throw site; test/i18n/catalogue.test.ts
 * checks the two agree); the CLI prints the Chinese one under `--lang zh`.
 */

/** English. */
export const EN_ERRORS_LIB = {
    'err.stamp.fragmentsExplicit': 'fragments are stamped without an explicit label (explicitLabel: false, --no-explicit): segments cannot be re-encoded one by one',
  'err.stamp.fragmentsSidecar': 'fragments cannot be combined with a sidecar or a watermark',
  'err.stamp.fragmentInPlace': 'fragment output {path} is its input; pass inPlace (--in-place) to allow it',
  'err.stamp.inputInPlace': 'refusing to overwrite the input {path}; pass --in-place (inPlace: true) to modify it',
  'err.ocsp.noResponder': 'OCSP stapling was asked for, but the signing certificate names no OCSP responder: give its URL',
  'err.ocsp.revokedOn': 'the signing certificate was revoked on {date} (OCSP {url}): refusing to sign',
  'err.ocsp.revoked': 'the signing certificate was revoked (OCSP {url}): refusing to sign',
  'err.ocsp.unknown': 'the OCSP responder {url} does not know the signing certificate',
  'err.propagate.changed': "the upload's content hash did not match what its verification assumed",
  'err.transcode.decode': 'cannot decode the image to transcode it: {reason}',
  'err.transcode.unsupported': '--transcode is supported for images, {names}, not {format}',
  'err.input.streamTooLarge': 'stream input larger than {max} bytes; pass a path instead',
  'err.input.blobTooLarge': 'Blob input of {size} bytes; pass a path instead',
  'err.input.streamFailed': 'the input stream failed: {reason}',
  'err.c2pa.emptyStore': 'the manifest store holds no manifest',
  'err.fragments.notFmp4': 'an init segment must be fragmented MP4, not {format}',
  'err.sidecar.none': 'C2PA defines no manifest for {format}: there is nothing to write to a sidecar',
  'err.limit.fragments': '{count} fragments',
  'err.wm.noFormat': 'no invisible watermark for {format} content (images: JPEG, PNG, WebP; audio: WAV, FLAC, MP3)',
  'err.worker.noQueue': 'a worker needs a queue: pass --queue redis://HOST:PORT or set "queue" in the configuration',
  'err.upload.tooLarge': 'upload exceeds {max} bytes',
  'what.tokens file': 'tokens file',
  'what.configuration': 'configuration',
  'err.config.json': 'configuration {path} is not valid JSON: {reason}',
  'err.upload.noFile': 'the form has no "file" part',
  'err.upload.filePart': 'unexpected file part "{name}"; send the media as one part named "file"',
  'err.upload.optionsJson': 'the options part is not valid JSON: {reason}',
  'err.upload.field': 'unexpected form field "{name}"; expected "file" and optionally "options"',
  'err.upload.aborted': 'the upload was aborted',
  'err.match.declared': 'asset of {size} bytes exceeds {max} bytes',
  'err.match.exceeds': 'asset exceeds {max} bytes',
  'err.job.option': 'unknown option "{key}" for {op}; expected one of: {names}',
// <EN>
} as const;

/** A key of the library's error messages. */
export type ErrorsLibKey = keyof typeof EN_ERRORS_LIB;

/** Simplified Chinese. */
export const ZH_ERRORS_LIB: Record<ErrorsLibKey, string> = {
    'err.stamp.fragmentsExplicit': '分片只能在不加显式标识的情况下盖章（explicitLabel: false，--no-explicit）：分段无法逐个重新编码',
  'err.stamp.fragmentsSidecar': '分片不能与旁路清单（sidecar）或水印同时使用',
  'err.stamp.fragmentInPlace': '分片输出 {path} 就是它的输入；如需允许，请使用 inPlace（--in-place）',
  'err.stamp.inputInPlace': '拒绝覆盖输入文件 {path}；如需直接修改它，请使用 --in-place（inPlace: true）',
  'err.ocsp.noResponder': '要求附带 OCSP 响应，但签名证书没有指明 OCSP 响应方：请给出其 URL',
  'err.ocsp.revokedOn': '签名证书已于 {date} 被吊销（OCSP {url}）：拒绝签名',
  'err.ocsp.revoked': '签名证书已被吊销（OCSP {url}）：拒绝签名',
  'err.ocsp.unknown': 'OCSP 响应方 {url} 不认识该签名证书',
  'err.propagate.changed': '上传文件的内容哈希与验证时所依据的不一致',
  'err.transcode.decode': '无法解码图像以进行转码：{reason}',
  'err.transcode.unsupported': '--transcode 支持图像和 {names}，不支持 {format}',
  'err.input.streamTooLarge': '流输入超过 {max} 字节；请改为传入文件路径',
  'err.input.blobTooLarge': 'Blob 输入有 {size} 字节；请改为传入文件路径',
  'err.input.streamFailed': '输入流出错：{reason}',
  'err.c2pa.emptyStore': '清单存储中没有任何清单',
  'err.fragments.notFmp4': '初始化分段必须是分片 MP4（fragmented MP4），而不是 {format}',
  'err.sidecar.none': 'C2PA 没有为 {format} 定义清单：没有可写入旁路文件的内容',
  'err.limit.fragments': '{count} 个分片',
  'err.wm.noFormat': '{format} 内容不能添加不可见水印（图像：JPEG、PNG、WebP；音频：WAV、FLAC、MP3）',
  'err.worker.noQueue': 'worker 需要一个队列：请使用 --queue redis://HOST:PORT，或在配置中设置 "queue"',
  'err.upload.tooLarge': '上传文件超过 {max} 字节',
  'what.tokens file': '令牌文件',
  'what.configuration': '配置文件',
  'err.config.json': '配置文件 {path} 不是有效的 JSON：{reason}',
  'err.upload.noFile': '表单中没有 "file" 部分',
  'err.upload.filePart': '意外的文件部分 "{name}"；请把媒体作为名为 "file" 的一个部分发送',
  'err.upload.optionsJson': 'options 部分不是有效的 JSON：{reason}',
  'err.upload.field': '意外的表单字段 "{name}"；应为 "file"，以及可选的 "options"',
  'err.upload.aborted': '上传被中止',
  'err.match.declared': '{size} 字节的资产超过 {max} 字节',
  'err.match.exceeds': '资产超过 {max} 字节',
  'err.job.option': '{op} 没有选项 "{key}"；可选：{names}',
// <ZH>
};
