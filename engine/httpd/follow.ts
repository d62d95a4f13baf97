// Following what a real server writes: a log file it appends to (polled), and
// a fifo it opens as a log file (read as it is written).
import fs from 'node:fs';
import net from 'node:net';

/** Follow a log file as it grows (it may not exist yet); call read() to catch up, stop() to end. */
export function tailFile(file: string, onLine: (line: string) => void, everyMs = 50): { read(): void; stop(): void } {
  let pos = 0;
  let rest = '';
  const read = () => {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < pos) pos = 0; // rotated or truncated
      if (size === pos) return;
      const buf = Buffer.alloc(size - pos);
      fs.readSync(fd, buf, 0, buf.length, pos);
      pos = size;
      rest += buf.toString('utf8');
      let i;
      while ((i = rest.indexOf('\n')) >= 0) {
        onLine(rest.slice(0, i));
        rest = rest.slice(i + 1);
      }
    } finally {
      fs.closeSync(fd);
    }
  };
  const timer = setInterval(read, everyMs);
  return { read, stop: () => clearInterval(timer) };
}

/**
 * Read a fifo line by line. Opened read-write so that opening never blocks
 * and the writer closing its end (a restart reopens its logs) is not an EOF.
 * Servers write each log line in one write() (atomic below PIPE_BUF).
 */
export function readFifo(fifo: string, onLine: (line: string) => void, onError: (e: Error) => void): net.Socket {
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const r = new net.Socket({ fd, readable: true, writable: false });
  let rest = '';
  r.setEncoding('utf8');
  r.on('data', (d: string) => {
    rest += d;
    let i;
    while ((i = rest.indexOf('\n')) >= 0) {
      onLine(rest.slice(0, i));
      rest = rest.slice(i + 1);
    }
  });
  r.on('error', onError);
  return r;
}
