/** The settings the job builder reads, taken from the SDK's Settings proto. */
import type {RunSettings} from '../settings/index.ts'

export interface JobSettings {
  /**
   * disable_job_creation or x_disable_machine_info: no job at all. An absent disable_job_creation
   * counts as the SDK's default (true), so that the settings nexus's own commands build (sync,
   * artifact put) never make jobs; the SDK always sends the field.
   */
  disabled: boolean
  /** job_source: "repo", "artifact" or "image" forces that kind of job; otherwise detected. */
  source: string
  /** job_name: the artifact name to use as is (set, even to "", it replaces the derived name). */
  name: string | undefined
  /** _jupyter: the run is a notebook. */
  notebook: boolean
  /** x_jupyter_root: the folder the notebook server started in (undefined when unset). */
  jupyterRoot: string | undefined
  /** _colab */
  colab: boolean
  filesDir: string
}

/** JobSettings of a run. */
export function jobSettingsOf(settings: RunSettings): JobSettings {
  const p = settings.proto
  return {
    disabled: (p.disable_job_creation?.value ?? true) || settings.disableMachineInfo,
    source: p.job_source?.value ?? '',
    name: p.job_name?.value,
    notebook: p._jupyter?.value ?? false,
    jupyterRoot: p.x_jupyter_root?.value,
    colab: p._colab?.value ?? false,
    filesDir: settings.filesDir,
  }
}
