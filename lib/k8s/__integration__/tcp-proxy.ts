// A TCP proxy for taking a cluster away and bringing it back: `cut()` closes
// every connection and stops listening (clients then get ECONNREFUSED, as
// when an API server goes down), `restore()` listens on the same port again.

import net from 'node:net';

export interface TcpProxy {
  url: string;
  port: number;
  /** Connections open right now. */
  open(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stopListening = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    // Each client connection has two sockets here.
    open: () => sockets.size / 2,
    cut: stopListening,
    restore: () => listen(port),
    close: stopListening,
  };
}
