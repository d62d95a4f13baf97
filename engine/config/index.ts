// Public entry of the config package: read a config (load), fix it the way the
// MPM's check_config does (check), and the directive registry behind both.

export type { Diagnostic, ConfigLocation } from './diagnostic.js';
export type { DirectiveSpec, DirectiveName, DirectiveValues, MpmName } from './directives.js';
export { DIRECTIVES, MPM_NAMES, findDirective } from './directives.js';
export type { ListenAddr } from './listen.js';
export type { DirectiveLine } from './parse.js';
export { loadedModules, parseConfig } from './parse.js';
export type { LoadOptions, LoadResult, RawConfig } from './load.js';
export { loadConfig } from './load.js';
export type { CheckOptions, CheckResult, EffectiveConfig } from './check.js';
export { checkConfig, describeEffective } from './check.js';
