/**
 * A structured logger that writes JSON lines to stderr. Written by hand rather than taking a logging
 * library because the rule that matters here is what is *not* logged: callers pass a fixed event
 * name and a few typed fields, never request bodies, headers, addresses or emails.
 */
import type { LogLevel } from "./config/config.ts";

type Field = string | number | boolean | null | undefined;
export interface Logger {
  debug(event: string, fields?: Record<string, Field>): void;
  info(event: string, fields?: Record<string, Field>): void;
  warn(event: string, fields?: Record<string, Field>): void;
  error(event: string, fields?: Record<string, Field>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = ORDER[level];
  const log = (lvl: Exclude<LogLevel, "silent">) => (event: string, fields?: Record<string, Field>) => {
    if (ORDER[lvl] < min) return;
    write(`${JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...fields })}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
