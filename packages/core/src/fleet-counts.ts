/**
 * What the dashboard counts per station, campus and district (GET /api/v1/overview):
 * one shape for the server that computes it and the browser that shows it.
 */
export interface FleetCounts {
  compartments: number;
  loaded: number;
  empty: number;
  outOfService: number;
  /** Ready loaners at or above the charge floor by their best reading: what the kiosk would lend now. */
  loanersAvailable: number;
  /** Ready loaners still below the floor. */
  loanersCharging: number;
  devicesOut: number;
  overdue: number;
  flaggedForRepair: number;
  openAlerts: number;
  stationsOnline: number;
  stationsOffline: number;
}
