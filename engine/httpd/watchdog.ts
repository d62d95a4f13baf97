// Keeps a real httpd from outliving MPM Lab: started with a pipe from the
// backend on stdin; when that pipe closes (the backend exited, even by
// SIGKILL) it stops httpd's whole process group, and removes its ServerRoot.
import fs from 'node:fs';

const [pgid, root] = [Number(process.argv[2]), process.argv[3]];

function kill(sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // already gone
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
