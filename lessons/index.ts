// Every lesson's experiment, in lesson order: the lesson runner (CI) and the
// lesson pages both read this list.
import whatIsAnMpm from './basics/01-what-is-an-mpm.experiment.js';
import whichChild from './basics/02-which-child.experiment.js';
import keepAlive from './basics/03-keep-alive.experiment.js';
import keepAliveLimits from './basics/04-keep-alive-limits.experiment.js';
import spareServers from './basics/05-spare-servers.experiment.js';
import maxRequestWorkers from './basics/06-max-request-workers.experiment.js';
import maxConnectionsPerChild from './basics/07-max-connections-per-child.experiment.js';
import worker from './threads/08-worker.experiment.js';
import event from './threads/09-event.experiment.js';
import crash from './threads/10-crash-isolation.experiment.js';
import crashPrefork from './threads/10-crash-isolation-prefork.experiment.js';
import graceful from './threads/11-graceful-restart.experiment.js';
import acceptMutex from './deeper/12-accept-serialization.experiment.js';
import acceptSingle from './deeper/12-accept-serialization-single.experiment.js';
import threadSafety from './deeper/13-thread-safety.experiment.js';
import threadSafetyPrefork from './deeper/13-thread-safety-prefork.experiment.js';
import scoreboard from './deeper/14-scoreboard.experiment.js';
import platform from './deeper/15-platform-mpms.experiment.js';
import whyPhpFpm from './app/16-why-php-fpm.experiment.js';
import whyPhpFpmModPhp from './app/16-why-php-fpm-mod-php.experiment.js';
import sizingPool from './app/17-sizing-pm-max-children.experiment.js';
import sizingPoolMpmBound from './app/17-sizing-pm-max-children-mpm-bound.experiment.js';
import poolFull from './app/18-pool-full.experiment.js';
import type { Experiment } from './lib/experiment.js';

export const EXPERIMENTS: Experiment[] = [
  whatIsAnMpm, whichChild, keepAlive, keepAliveLimits, spareServers, maxRequestWorkers, maxConnectionsPerChild,
  worker, event, crash, crashPrefork, graceful, acceptMutex, acceptSingle, threadSafety, threadSafetyPrefork, scoreboard, platform,
  whyPhpFpm, whyPhpFpmModPhp, sizingPool, sizingPoolMpmBound, poolFull,
];

export function experiment(id: string): Experiment | undefined {
  return EXPERIMENTS.find((x) => x.id === id);
}
