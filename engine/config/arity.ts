// Argument-count errors, worded as httpd's invoke_cmd (server/config.c) words
// them: "<Name> takes one argument, <help string>". An empty quoted word ("")
// counts as missing, as it does for httpd.

import type { ArgsHow } from './directives.js';

export function checkArity(how: ArgsHow, name: string, help: string, args: readonly string[]): string | undefined {
  const n = args.length;
  const empty = (i: number) => (args[i] ?? '') === '';
  switch (how) {
    case 'TAKE1':
      return n !== 1 || empty(0) ? `${name} takes one argument, ${help}` : undefined;
    case 'TAKE2':
      return n !== 2 || empty(0) || empty(1) ? `${name} takes two arguments, ${help}` : undefined;
    case 'TAKE12':
      return n < 1 || n > 2 || empty(0) ? `${name} takes 1-2 arguments, ${help}` : undefined;
    case 'TAKE23':
      return n < 2 || n > 3 || empty(0) || empty(1) ? `${name} takes two or three arguments, ${help}` : undefined;
    case 'ITERATE':
      return n < 1 || empty(0) ? `${name} requires at least one argument, ${help}` : undefined;
    case 'FLAG': // the flag's own message covers a missing word ("must be On or Off")
    case 'TAKE_ARGV': // the handler counts (Listen: "Listen requires 1 or 2 arguments.")
    case 'RAW_ARGS': // the handler gets the raw line
      return undefined;
    default: {
      const never: never = how;
      return never;
    }
  }
}
