import type {HistoryDownloads} from './history-downloads.ts'
import type {HistoryScans} from './history-scans.ts'
import type {SessionConnection} from './session-connection.ts'

/** What the request handlers of one wbapi session share. Built once per api_init. */
export interface SessionTools extends SessionConnection {
  /** Run-history downloads and scans; their request ids count up from 1 per session. */
  readonly historyDownloads: HistoryDownloads
  readonly historyScans: HistoryScans
}
