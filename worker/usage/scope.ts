/** A WABA and one of its local months: the unit of recomputation for derivation, pricing and rollups. */
export interface WabaMonth {
  readonly waba_id: string;
  /** First day of the month in the WABA's time zone, 'YYYY-MM-01'. */
  readonly month: string;
}
