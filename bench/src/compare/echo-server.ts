import { createServer } from 'node:net';

/**
 * The far end of the bench's path-RTT ping, run on the customer's side: a TCP server that sends every
 * byte straight back. Usage: node echo-server.js <listen-host>. Prints `listening <port>`.
 */
const host = process.argv[2];
if (!host) {
  process.stderr.write('usage: echo-server <listen-host>\n');
  process.exit(2);
}
const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.pipe(socket);
  socket.on('error', () => socket.destroy());
});
server.listen(0, host, () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
