// mpm_unix.c dummy_connection(): the parent wakes an idle child by connecting to
// its own listener and sending a request the child serves and logs:
//   "OPTIONS * HTTP/1.0" … "(internal dummy connection)"
import net from 'node:net';

export function dummyConnection(host: string, port: number, userAgent: string, onError: (err: Error) => void): void {
  const s = net.connect({ host, port });
  const done = () => s.destroy();
  // httpd gives the connect 3 s; the request itself is tiny
  s.setTimeout(3000, done);
  s.on('connect', () => s.end(`OPTIONS * HTTP/1.0\r\nUser-Agent: ${userAgent} (internal dummy connection)\r\n\r\n`));
  s.on('data', () => undefined);
  s.on('end', done);
  s.on('error', (err) => {
    onError(err);
    done();
  });
}
