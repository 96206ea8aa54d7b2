/**
 * Structured logging: one JSON object per line, so the output can be shipped
 * to any log collector without parsing free text. Info and debug go to stdout,
 * warnings and errors to stderr, matching what process supervisors expect.
 */

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, e.g. the store and till of a connection. */
  child(fields: LogFields): Logger;
}

export type LogSink = (level: LogLevel, line: string) => void;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

const defaultSink: LogSink = (level, line) => {
  if (level === 'warn' || level === 'error') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
};

/** Errors do not serialize with JSON.stringify; keep what helps an operator. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as Error & { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = value.cause;
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function createLogger(level: LogLevel, base: LogFields = {}, sink: LogSink = defaultSink): Logger {
  const threshold = rank[level];
  const write = (lineLevel: LogLevel, msg: string, fields?: LogFields): void => {
    if (rank[lineLevel] < threshold) return;
    const entry = { level: lineLevel, time: new Date().toISOString(), msg, ...base, ...fields };
    let line: string;
    try {
      line = JSON.stringify(entry, jsonReplacer);
    } catch {
      // A field that cannot be serialized must not lose the log line itself.
      line = JSON.stringify({ level: lineLevel, time: entry.time, msg, logError: 'unserializable fields' });
    }
    sink(lineLevel, line);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }, sink),
  };
}
