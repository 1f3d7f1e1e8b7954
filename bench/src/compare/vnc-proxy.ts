import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

/**
 * The classic baseline's middle piece, run as its own process so its CPU can be measured apart:
 * a WebSocket-to-TCP proxy (what websockify does) in front of x11vnc, plus the noVNC viewer page.
 * Usage: node vnc-proxy.js <vnc-host> <vnc-port> <listen-host>. Prints `listening <port>` once ready.
 *   GET /            the viewer page (noVNC's RFB in a full-size canvas, view only, no scaling)
 *   GET /novnc/...   @novnc/novnc's ES modules
 *   GET /stats       {"toViewer": bytes, "fromViewer": bytes} sent over the WebSockets so far
 *   WS  /websockify  one TCP connection to x11vnc per WebSocket, bytes passed through unchanged
 */

const NOVNC = path.dirname(path.dirname(fileURLToPath(import.meta.resolve('@novnc/novnc'))));
const [vncHost, portArg, listenHost] = process.argv.slice(2);
const vncPort = Number(portArg);
if (!vncHost || !listenHost || !Number.isInteger(vncPort) || vncPort <= 0 || vncPort > 65535) {
  process.stderr.write('usage: vnc-proxy <vnc-host> <vnc-port> <listen-host>\n');
  process.exit(2);
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>noVNC baseline</title>
<style>html,body{margin:0;background:#000}#screen{width:1920px;height:1080px}</style>
<script type="module" src="/viewer.js"></script></head>
<body><div id="screen"></div></body></html>`;

// the canvas gets data-testid="viewer-canvas" so the bench's page counters watch it like the console's
const VIEWER = `import RFB from '/novnc/core/rfb.js';
const rfb = new RFB(document.getElementById('screen'), 'ws://' + location.host + '/websockify');
rfb.viewOnly = true;
rfb.scaleViewport = false;
rfb.addEventListener('connect', () => { document.body.dataset.state = 'connected'; });
rfb.addEventListener('disconnect', () => { document.body.dataset.state = 'disconnected'; });
const mark = () => { const c = document.querySelector('#screen canvas'); if (c) c.dataset.testid = 'viewer-canvas'; else requestAnimationFrame(mark); };
mark();
`;

const stats = { toViewer: 0, fromViewer: 0 };
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json' };

function serve(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, type: string, body: string): void => void res.writeHead(status, { 'content-type': type }).end(body);
  if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', PAGE);
  if (url.pathname === '/viewer.js') return send(200, 'text/javascript', VIEWER);
  if (url.pathname === '/stats') return send(200, 'application/json', JSON.stringify(stats));
  if (url.pathname.startsWith('/novnc/')) {
    const file = path.normalize(path.join(NOVNC, url.pathname.slice('/novnc/'.length)));
    if (file.startsWith(NOVNC + path.sep) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
  }
  send(404, 'text/plain', 'not found');
}

const http = createServer(serve);
const wss = new WebSocketServer({ server: http, path: '/websockify' });
wss.on('connection', (ws) => {
  const tcp = connect(vncPort, vncHost);
  tcp.setNoDelay(true);
  tcp.on('data', (chunk: Buffer) => {
    stats.toViewer += chunk.length;
    ws.send(chunk);
    // backpressure: stop reading from x11vnc while the browser lags
    if (ws.bufferedAmount > 4 * 1024 * 1024) {
      tcp.pause();
      const resume = setInterval(() => {
        if (ws.bufferedAmount < 1024 * 1024) {
          clearInterval(resume);
          tcp.resume();
        }
      }, 5);
    }
  });
  ws.on('message', (data: Buffer) => {
    stats.fromViewer += data.length;
    tcp.write(data);
  });
  const close = () => {
    tcp.destroy();
    ws.close();
  };
  tcp.on('close', close);
  tcp.on('error', close);
  ws.on('close', close);
});
http.listen(0, listenHost, () => {
  const addr = http.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
