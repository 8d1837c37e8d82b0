import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A server on a unix socket for the mail servers (mode 0660: they reach it through its
 * directory's group). A socket left by a process that died is replaced; closing ends every open
 * connection, so that a stopping service does not wait on a client that keeps its connection.
 */
export async function listenUnix(
  path: string,
  onConnection: (socket: Socket) => void,
): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  await rm(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o660);
  return {
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
