// What reading and checking a configuration tells the learner, in httpd's words.
//
// Two families, as in httpd:
// - diagnostics: log lines that do not stop the server (deprecation notes,
//   clamps such as AH00180, our "ignored" notes). The caller feeds them to the
//   error log (engine/log/error-log.ts) or prints startup ones bare.
// - errors: a configuration httpd would refuse to start with. We format them
//   exactly like httpd prints them before exiting.

import type { LogLevel } from '../log/error-log.js';

export interface Diagnostic {
  level: LogLevel;
  /** httpd module name as printed in the error log, e.g. "mpm_prefork", "core" */
  module: string;
  /** "AH00180", or "" for our own messages that have no httpd id */
  ah: string;
  text: string;
  /**
   * true = an APLOG_STARTUP message: httpd prints it bare on the console
   * ("AH00180: WARNING: …"); false = an ordinary error_log line.
   */
  startup: boolean;
  /** where it came from: a config file name, or "--set" */
  file?: string;
  line?: number;
  /** canonical directive name the diagnostic is about */
  directive?: string;
}

/** Where a failing directive was written. `line` is absent for --set. */
export interface ConfigLocation {
  file: string;
  line?: number;
  /** the --set argument as given, e.g. "StartServers=abc" */
  set?: string;
}

/** The command name httpd would put in front of build-phase errors (ap_server_argv0). */
export const ARGV0 = 'mpm-lab';

/**
 * A directive's handler refused its arguments (config.c, ap_process_config_tree):
 *   AH00526: Syntax error on line 3 of /tmp/x.conf:
 *   Invalid command 'Foo', perhaps misspelled or …
 * For --set (our addition) the first line names the --set argument instead.
 */
export function walkError(at: ConfigLocation, message: string): string {
  const where = at.set !== undefined
    ? `Syntax error in --set '${at.set}':`
    : `Syntax error on line ${at.line} of ${at.file}:`;
  return `AH00526: ${where}\n${message}`;
}

/**
 * An error while the file is being read into a tree (sections, <IfModule>):
 * httpd returns it from ap_process_resource_config and main() prints
 *   httpd: Syntax error on line 5 of /tmp/x.conf: </IfModule> without matching <IfModule> section
 * on one line, prefixed with argv[0].
 */
export function buildError(at: ConfigLocation, message: string): string {
  if (at.set !== undefined) return `${ARGV0}: Syntax error in --set '${at.set}': ${message}`;
  return `${ARGV0}: Syntax error on line ${at.line} of ${at.file}: ${message}`;
}
