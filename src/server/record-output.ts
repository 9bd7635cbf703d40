/**
 * Recording the service's signed outputs in its manifest repository: a completed stamp or propagate
 * job's output is recorded before the service hands it out (its answer, or `GET /v1/jobs/:id`), once
 * per output whatever the number of requests that join the job, and the record is added to the result
 * as `recorded`. The recording runs in the service process (the repository's one writer), so it works
 * the same with the embedded runner and with queue workers on other machines.
 */
import path from 'node:path';
import { describeRecord, recordOutput, type RecordedOutput } from '../repository/add-file.ts';
import type { JobResult } from './job-spec.ts';
import type { ServiceState } from './state.ts';

/**
 * The result with its `recorded` record (the output recorded now if it was not yet).
 * @throws {IoError} {@link MalformedInputError} {@link ManifestNotFoundError} when the output cannot be recorded.
 */
export async function withRecord(state: ServiceState, result: JobResult): Promise<JobResult> {
  const repo = state.repository;
  if (!repo || !state.recording || result.status !== 'completed' || !result.output) return result;
  const body = result.result as Record<string, unknown>;
  const manifestId = typeof body.manifest === 'string' ? body.manifest : undefined;
  if (!manifestId) return result; // a container without C2PA embedding: nothing to record
  const key = result.output.sha256;
  let pending = state.recording.get(key);
  if (!pending) {
    const existing = repo.byManifest(manifestId).find((r) => r.manifestId === manifestId);
    pending = existing
      ? Promise.resolve(describeRecord(repo, existing))
      : recordOutput(repo, path.join(state.dirs.out, result.output.file));
    state.recording.set(key, pending);
    pending.then(
      () => state.recording?.delete(key),
      () => state.recording?.delete(key),
    );
  }
  const recorded: RecordedOutput = await pending;
  return { ...result, result: { ...body, recorded } };
}
