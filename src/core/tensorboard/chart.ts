/**
 * A custom line chart over a logged table, stored in the run config at
 * `_wandb.visualize.<key>` (Go core: wbvalue/chart.go). The UI draws it as a Vega2 panel using
 * the `wandb/line/v0` preset.
 */

export interface LineChart {
  title: string
  /** The history key of the table the chart reads. */
  tableKey: string
  /** Table columns for the axes. */
  x: string
  y: string
}

/** Where the chart goes in the config. */
export function chartConfigPath(key: string): string[] {
  return ['_wandb', 'visualize', key]
}

/** The config value JSON of the chart (field order as Go's encoding/json writes it). */
export function chartConfigJson(chart: LineChart): string {
  return JSON.stringify({
    panel_type: 'Vega2',
    panel_config: {
      panelDefId: 'wandb/line/v0',
      fieldSettings: {x: chart.x, y: chart.y},
      stringSettings: {title: chart.title},
      transform: {name: 'tableWithLeafColNames'},
      userQuery: {
        queryFields: [
          {
            name: 'runSets',
            args: [{name: 'runSets', value: '${runSets}'}],
            fields: [{name: 'id'}, {name: 'name'}, {name: '_defaultColorIndex'}, {name: 'summaryTable', args: [{name: 'tableKey', value: chart.tableKey}]}],
          },
        ],
      },
    },
  })
}
