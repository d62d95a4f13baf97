// Keeps a real httpd (and its php-fpm) from outliving MPM Lab: started with a
// pipe from the backend on stdin; when that pipe closes (the backend exited,
// even by SIGKILL) it stops their whole process groups, and removes the root.
import fs from 'node:fs';

const [pgids, root] = [process.argv[2].split(',').map(Number), process.argv[3]];

function kill(sig: NodeJS.Signals): void {
  for (const pgid of pgids) {
    try {
      process.kill(-pgid, sig);
    } catch {
      // already gone
    }
  }
}

process.stdin.resume();
process.stdin.on('close', () => {
  kill('SIGTERM');
  setTimeout(() => {
    kill('SIGKILL');
    if (root) fs.rmSync(root, { recursive: true, force: true });
    process.exit(0);
  }, 3000);
});
