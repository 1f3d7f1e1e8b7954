import { Socket, connect } from 'node:net';

/**
 * The byte stream to the X server, and, on a local Unix socket, a way to pass a file descriptor
 * along with a request (SCM_RIGHTS), which MIT-SHM's ShmAttachFd needs.
 *
 * Node has no public API to send an arbitrary descriptor over a Unix socket. Its libuv pipes do it
 * for child-process IPC: a pipe opened in IPC mode reads and writes with recvmsg/sendmsg, and
 * `writeBuffer(req, bytes, handle)` attaches the descriptor of `handle` to the bytes. We use that
 * machinery (`process.binding('pipe_wrap')`, a documented-deprecated but present accessor): the X
 * connection is an IPC-mode pipe, and the descriptor to send is wrapped in a plain pipe handle for
 * the one write. When anything of it is missing (another Node, a TCP display) `sendWithFd` is
 * undefined and the caller falls back to core GetImage.
 */
export interface XSocket {
  stream: Socket;
  /** true for a Unix socket on this machine (shared memory is possible) */
  local: boolean;
  /** writes `bytes` with `fd` attached; the descriptor is duplicated into the X server */
  sendWithFd?: (bytes: Buffer, fd: number) => Promise<void>;
}

interface PipeHandle {
  connect(req: object, path: string): number;
  open(fd: number): number;
  close(cb?: () => void): void;
  writeBuffer(req: object, data: Buffer, sendHandle?: object): number;
}
interface PipeBinding {
  Pipe: new (type: number) => PipeHandle;
  PipeConnectWrap: new () => { oncomplete?: (status: number) => void };
  constants: { SOCKET: number; IPC: number };
}
interface StreamBinding {
  WriteWrap: new () => { handle?: unknown; oncomplete?: (status: number) => void };
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

function bindings(): { pipe: PipeBinding; stream: StreamBinding } | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding;
    const pipe = binding('pipe_wrap') as PipeBinding;
    const stream = binding('stream_wrap') as StreamBinding;
    if (typeof pipe?.Pipe !== 'function' || typeof stream?.WriteWrap !== 'function' || typeof pipe.constants?.IPC !== 'number') return undefined;
    return { pipe, stream };
  } catch {
    return undefined;
  }
}

/** Connects to a Unix socket path (a leading NUL byte: the abstract namespace). */
export async function connectUnix(path: string): Promise<XSocket> {
  const b = bindings();
  if (!b) return { stream: await plainConnect({ path }), local: true };
  const handle = new b.pipe.Pipe(b.pipe.constants.IPC);
  await new Promise<void>((resolve, reject) => {
    const req = new b.pipe.PipeConnectWrap();
    req.oncomplete = (status) => (status === 0 ? resolve() : reject(new Error(`cannot connect to ${path.replace('\0', '@')} (libuv error ${status})`)));
    const err = handle.connect(req, path);
    if (err !== 0) reject(new Error(`cannot connect to ${path.replace('\0', '@')} (libuv error ${err})`));
  }).catch((err: unknown) => {
    handle.close();
    throw err;
  });
  const stream = new Socket({ handle } as unknown as ConstructorParameters<typeof Socket>[0]);
  const sendWithFd = (bytes: Buffer, fd: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const carrier = new b.pipe.Pipe(b.pipe.constants.SOCKET);
      const opened = carrier.open(fd);
      if (opened !== 0) return reject(new Error(`cannot wrap descriptor (libuv error ${opened})`));
      const req = new b.stream.WriteWrap();
      req.handle = handle;
      // the carrier owns `fd` now and closes it: callers pass a descriptor of their own to give away
      req.oncomplete = (status) => carrier.close(() => (status === 0 ? resolve() : reject(new Error(`sending a descriptor failed (${status})`))));
      const err = handle.writeBuffer(req, bytes, carrier);
      if (err !== 0) carrier.close(() => reject(new Error(`sending a descriptor failed (${err})`)));
      // with a handle attached libuv always writes asynchronously; be safe if it did not
      else if (!b.stream.streamBaseState[b.stream.kLastWriteWasAsync]) carrier.close(() => resolve());
    });
  return { stream, local: true, sendWithFd };
}

export async function connectTcp(host: string, port: number): Promise<XSocket> {
  return { stream: await plainConnect({ host, port }), local: false };
}

function plainConnect(opts: { path: string } | { host: string; port: number }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = 'path' in opts ? connect(opts.path) : connect(opts.port, opts.host);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}
