/**
 * The SLURM_* environment variables as the machine description stores them: the suffix after
 * `SLURM_`, lowercased, mapped to the value (`SLURM_JOB_ID=7` → `{job_id: "7"}`).
 */
export function slurmEnvironment(env: NodeJS.ProcessEnv): {[key: string]: string} {
  const out: {[key: string]: string} = {}
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('SLURM_') && value !== undefined) out[key.slice('SLURM_'.length).toLowerCase()] = value
  }
  return out
}
