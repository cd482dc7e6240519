/**
 * The static command table. oclif's runtime discovery (globbing src/commands) cannot work inside a
 * `bun build --compile` binary, so bin/run.ts hands this table to oclif's `explicit` strategy.
 * Keys are command ids (topics joined with ':'); add every new command here.
 */
import Agent from './agent.ts'
import ArtifactCacheCleanup from './artifact/cache/cleanup.ts'
import ArtifactGet from './artifact/get.ts'
import ArtifactLs from './artifact/ls.ts'
import ArtifactPut from './artifact/put.ts'
import Completion from './completion.ts'
import Clean from './clean.ts'
import Controller from './controller.ts'
import Disabled from './disabled.ts'
import Enabled from './enabled.ts'
import LeetInspect from './leet/inspect.ts'
import Login from './login.ts'
import Offline from './offline.ts'
import Online from './online.ts'
import Service from './service/index.ts'
import ServiceInstall from './service/install.ts'
import Sweep from './sweep.ts'
import Sync from './sync.ts'
import Version from './version.ts'

export const COMMANDS = {
  login: Login,
  sync: Sync,
  'artifact:put': ArtifactPut,
  'artifact:get': ArtifactGet,
  'artifact:ls': ArtifactLs,
  'artifact:cache:cleanup': ArtifactCacheCleanup,
  clean: Clean,
  sweep: Sweep,
  agent: Agent,
  controller: Controller,
  offline: Offline,
  online: Online,
  disabled: Disabled,
  enabled: Enabled,
  service: Service,
  'service:install': ServiceInstall,
  version: Version,
  'leet:inspect': LeetInspect,
  completion: Completion,
}
