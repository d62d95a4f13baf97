// The two voices of check_config. At the first start httpd prints an
// APLOG_STARTUP line on the console ("AH00180: WARNING: …"); on a restart the
// same fix is logged to the error log in a shorter form (AH00181), level warn.
//
// Note for callers: httpd reads its configuration twice when it starts, and
// only the first pass counts as "startup" (module_loads == 1). The second pass
// runs check_config again with the restart wording, into the error log.

import type { Diagnostic } from './diagnostic.js';

export interface CheckLog {
  /** a clamp with a startup form and a restart form: ids = [startup id, restart id] */
  fix(directive: string, ids: readonly [string, string], startupText: string, restartText: string): void;
  /** a message httpd only ever logs on a restart ("don't need a startup console version") */
  restartOnly(directive: string, ah: string, text: string): void;
  /**
   * The commonest fix: "<Directive> of <value> not allowed, increasing to 1"
   * (`severe`: the startup text adds "to avoid almost certain server failure").
   * Returns the new value, 1.
   */
  raiseToOne(directive: string, ids: readonly [string, string], value: number, severe?: boolean): 1;
}

export function checkLog(module: string, startup: boolean, out: Diagnostic[]): CheckLog {
  return {
    fix(directive, [startupId, restartId], startupText, restartText) {
      out.push(startup
        ? { level: 'warn', module, ah: startupId, text: startupText, startup: true, directive }
        : { level: 'warn', module, ah: restartId, text: restartText, startup: false, directive });
    },
    restartOnly(directive, ah, text) {
      out.push({ level: 'warn', module, ah, text, startup: false, directive });
    },
    raiseToOne(directive, ids, value, severe = false) {
      this.fix(directive, ids,
        `WARNING: ${directive} of ${value} not allowed, increasing to 1`
        + (severe ? ' to avoid almost certain server failure. Please read the documentation.' : '.'),
        `${directive} of ${value} not allowed, increasing to 1`);
      return 1;
    },
  };
}
