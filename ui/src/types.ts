// Shapes of the trace API's answers (app/schemas/trace.py); times are RFC 3339 strings.

export interface Identity {
  code: string;
  maker_code: string;
  level: string;
  chemistry_letter?: string;
  chemistry?: string | null;
  chemistry_confirmed?: boolean;
  spec_code?: string;
  trace_info?: string;
  production_date?: string | null;
  serial?: string;
  second_life?: boolean;
  [extra: string]: unknown;
}

export interface BatteryDetail {
  code: string;
  identity: Identity;
  level: string | null;
  status: string | null;
  status_since: string | null;
  produced: boolean;
  chemistry: string | null;
  mass_kg: number | null;
  capacity_kwh: number | null;
  produced_at: string | null;
  producer: string | null;
  last_event_at: string | null;
  event_count: number;
  current_vehicle: { vin: string; since: string; model?: string | null; swap_capable?: boolean | null } | null;
  current_custodian: { uscc: string; name: string | null; roles: string[] | null; since: string } | null;
  parent: string | null;
  derived_from: string | null;
  second_life_products: string[];
  component_count: number;
}

export interface TimelineEntry {
  event_id: string;
  type: string;
  role: string;
  occurred_at: string;
  recorded_at: string;
  imported: boolean;
  reporter: { uscc: string | null; name: string | null };
  corrected: boolean;
  corrected_by: string[];
  details: Record<string, unknown>;
  /** Where the event contradicts the record (stored as claimed; see docs/claims.md). */
  warnings?: EventWarning[];
}

export interface EventWarning {
  code: string;
  battery: string | null;
  message: string;
}

export type SegmentKind = "holder" | "vehicle" | "transit" | "pack";

/** One stay of the battery, as the server's custody projection decided it. */
export interface TraceSegment {
  kind: SegmentKind;
  /** USCC (holder), VIN (vehicle), the addressee's USCC (transit; may be null), parent code (pack). */
  ref: string | null;
  /** Company name for holder segments, else null. */
  name: string | null;
  from: string;
  /** Null while the battery is still there. */
  to: string | null;
  opened_by: string;
  closed_by: string | null;
}

export interface Trace {
  code: string;
  status: string | null;
  events: TimelineEntry[];
  /** Ordered by `from`; a partition of the battery's life into stays. */
  segments: TraceSegment[];
  /** Health readings (health_measured, or a repurposing's condition), oldest first; the same replay. */
  health: HealthPoint[];
}

export interface HealthPoint {
  event_id: string;
  type: string;
  at: string;
  reporter: string;
  soh_pct: number | null;
  capacity_kwh: number | null;
  cycle_count: number | null;
  /** bms_readout, residual_energy_test or estimate; null for a hand-over's condition. */
  method: string | null;
}

export interface Component {
  code: string;
  level: string | null;
  parent: string;
  depth: number;
  status: string | null;
}

export interface Components {
  code: string;
  components: Component[];
}

export interface Installation {
  code: string;
  level: string | null;
  since: string;
  until: string | null;
  since_event: string;
  until_event: string | null;
}

export interface VehicleBatteries {
  vin: string;
  registered: boolean | null;
  sold_at: string | null;
  scrapped_at: string | null;
  exported_at?: string | null;
  export_destination?: string | null;
  batteries: Installation[];
}

export interface Company {
  uscc: string;
  name?: string | null;
  roles?: string[] | null;
  province?: string | null;
  licences?: Array<Record<string, unknown>>;
  [extra: string]: unknown;
}

export interface Swap {
  event_id: string;
  occurred_at: string;
  vehicle: string;
  battery_out: string;
  battery_in: string;
  reporter: string;
}

export interface StationSwaps {
  station: string;
  items: Swap[];
  next_skip: number | null;
}
