import {EnvironmentRecord, type GitRepoRecord, type Settings} from '../core/proto.ts'
import {timestampFromSeconds} from './stats-record.ts'

/**
 * The first of the two machine-description records (Go's `probeExecutionContext`): how the run
 * was started, taken from the SDK's settings (os, python, host, program and code paths, email,
 * root, username, docker, executable, args, colab, started_at from x_start_time), plus the git
 * remote/commit the SDK computed and this writer's id.
 */
export function executionContext(s: Settings, o: {writerId: string; git?: GitRepoRecord}): EnvironmentRecord {
  const e = EnvironmentRecord.create({
    os: s._os?.value ?? '',
    python: s._python?.value ?? '',
    host: s.host?.value ?? '',
    program: s.program?.value ?? '',
    code_path: s.program_relpath?.value ?? '',
    code_path_local: s._code_path_local?.value ?? '',
    email: s.email?.value ?? '',
    root: s.root_dir?.value ?? '',
    username: s.username?.value ?? '',
    docker: s.docker?.value ?? '',
    executable: s.x_executable?.value ?? '',
    args: [...(s._args?.value ?? [])],
    colab: s.colab_url?.value ?? '',
    writer_id: o.writerId,
  })
  const start = s.x_start_time?.value
  // Go converts even an unset start time (the Unix epoch); an absent one is clearer and omitted alike.
  if (start) e.started_at = timestampFromSeconds(start)
  if (o.git && (o.git.remote_url || o.git.commit)) e.git = {...o.git}
  return e
}
