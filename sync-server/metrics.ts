/**
 * Prometheus text exposition (format 0.0.4) without a client library: the
 * server exports a handful of counters and gauges, which does not justify a
 * dependency.
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  const parts = Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

abstract class Metric {
  protected readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    const values = this.collect();
    if (values.size === 0 && this.type === 'counter') values.set('', 0);
    for (const [labels, value] of values) lines.push(`${this.name}${labels} ${value}`);
    return lines.join('\n');
  }

  protected collect(): Map<string, number> {
    return new Map(this.values);
  }
}

export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels?: Labels, amount = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }

  get(labels?: Labels): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
}

/** A gauge whose value is read when scraped, so it can never drift from the truth. */
export class Gauge extends Metric {
  constructor(
    name: string,
    help: string,
    private readonly read: () => number,
  ) {
    super(name, help, 'gauge');
  }

  protected override collect(): Map<string, number> {
    return new Map([['', this.read()]]);
  }
}

export interface ServerMetricsSources {
  rooms: () => number;
  connections: () => number;
  storageReady: () => number;
  storageBytes: () => number;
}

/** Every metric the sync server exports; names are part of its operational contract. */
export class ServerMetrics {
  readonly connectionsAccepted = new Counter('pos_sync_connections_accepted_total', 'WebSocket connections accepted (before authentication).');
  readonly connectionsClosed = new Counter('pos_sync_connections_closed_total', 'WebSocket connections closed, by reason.');
  readonly authFailures = new Counter('pos_sync_auth_failures_total', 'Connections refused by authentication, by reason.');
  readonly messagesReceived = new Counter('pos_sync_messages_received_total', 'Protocol messages received, by type.');
  readonly updatesReceived = new Counter('pos_sync_updates_received_total', 'Yjs updates received from clients (sync step 2 and update messages).');
  readonly updatesPersisted = new Counter('pos_sync_updates_persisted_total', 'Yjs updates written to storage.');
  readonly updatesRejected = new Counter('pos_sync_updates_rejected_total', 'Yjs updates not applied, by reason.');
  readonly bytesReceived = new Counter('pos_sync_bytes_received_total', 'WebSocket payload bytes received.');
  readonly bytesSent = new Counter('pos_sync_bytes_sent_total', 'WebSocket payload bytes sent.');
  readonly storageWriteErrors = new Counter('pos_sync_storage_write_errors_total', 'Failed storage writes.');
  readonly compactions = new Counter('pos_sync_compactions_total', 'Room compactions written to storage.');
  readonly roomsLoaded = new Counter('pos_sync_rooms_loaded_total', 'Rooms loaded from storage.');
  readonly roomsUnloaded = new Counter('pos_sync_rooms_unloaded_total', 'Rooms unloaded from memory.');
  private readonly gauges: Gauge[];

  constructor(sources: ServerMetricsSources) {
    this.gauges = [
      new Gauge('pos_sync_rooms', 'Rooms (stores) loaded in memory.', sources.rooms),
      new Gauge('pos_sync_connections', 'Open WebSocket connections.', sources.connections),
      new Gauge('pos_sync_storage_ready', '1 when storage accepts writes, 0 after a failed write until it recovers.', sources.storageReady),
      new Gauge('pos_sync_storage_size_bytes', 'Size of the data directory on disk.', sources.storageBytes),
    ];
  }

  render(): string {
    const all: Metric[] = [
      ...this.gauges,
      this.connectionsAccepted,
      this.connectionsClosed,
      this.authFailures,
      this.messagesReceived,
      this.updatesReceived,
      this.updatesPersisted,
      this.updatesRejected,
      this.bytesReceived,
      this.bytesSent,
      this.storageWriteErrors,
      this.compactions,
      this.roomsLoaded,
      this.roomsUnloaded,
    ];
    return all.map((metric) => metric.render()).join('\n') + '\n';
  }
}
