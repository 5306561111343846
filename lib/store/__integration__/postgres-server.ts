// A throw-away PostgreSQL server for tests: a fresh cluster (initdb) in a temp
// folder, on a free port on 127.0.0.1, trusted local logins, no durability
// (fsync off: the folder is deleted at the end anyway). The server is this
// process's child, so stop() waits for that very process to exit; if the test
// process ends without calling stop(), an exit hook still kills it.

import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** The URL of a database created for the caller. */
  url: string;
  /** Creates another empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** The folder holding initdb and postgres of the newest PostgreSQL installed the Debian way; throws saying how to install it. */
export function findPostgresBinaries(root = '/usr/lib/postgresql'): { bin: string; version: number } {
  const versions = (fs.existsSync(root) ? fs.readdirSync(root) : [])
    .filter((entry) => /^\d+$/.test(entry) && ['initdb', 'postgres'].every((tool) => fs.existsSync(path.join(root, entry, 'bin', tool))))
    .map(Number)
    .sort((a, b) => b - a);
  if (versions.length === 0) {
    throw new Error(
      `The store's tests need a PostgreSQL server and found none (no ${root}/*/bin/initdb). Install it: apt-get install postgresql`,
    );
  }
  return { bin: path.join(root, String(versions[0]), 'bin'), version: versions[0] };
}

/**
 * PostgreSQL refuses to run as root. As root, its folder is given to the
 * `postgres` OS user and the server runs as that user: through the spawn's
 * uid/gid rather than `runuser`, so the child this process holds is the
 * postmaster itself and signals reach it directly.
 */
function runAs(): Pick<SpawnOptions, 'uid' | 'gid'> & { owner?: { uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error('Running as root, the tests start PostgreSQL as the "postgres" OS user, which does not exist; apt-get install postgresql creates it');
    return Number(result.stdout.trim());
  };
  const owner = { uid: id('-u'), gid: id('-g') };
  return { ...owner, owner };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(database = 'ephemera_test'): Promise<PostgresServer> {
  const { bin } = findPostgresBinaries();
  const user = runAs();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-pg-'));
  const dataDir = path.join(folder, 'data');
  if (user.owner) fs.chownSync(folder, user.owner.uid, user.owner.gid);
  const spawnOptions = { uid: user.uid, gid: user.gid, cwd: folder, env: { ...process.env, LC_ALL: 'C' } };

  let child: ChildProcess | undefined;
  const killOnExit = () => {
    child?.kill('SIGKILL');
    fs.rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  try {
    const init = spawnSync(
      path.join(bin, 'initdb'),
      ['--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--no-locale', '--no-sync'],
      { ...spawnOptions, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stderr || init.stdout}`);

    const port = await freePort();
    let log = '';
    child = spawn(
      path.join(bin, 'postgres'),
      [
        '-D', dataDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${folder}`,
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
      ],
      { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitForConnections(adminUrl, exited, () => log);

    const createDatabase = async (name: string) => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    };

    const url = await createDatabase(database);
    const running = child;
    return {
      url,
      createDatabase,
      async stop() {
        if (running.exitCode === null && running.signalCode === null) {
          running.kill('SIGINT'); // "fast" shutdown: disconnects clients, then exits
          const timer = setTimeout(() => running.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        process.off('exit', killOnExit);
        fs.rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    killOnExit();
    process.off('exit', killOnExit);
    throw error;
  }
}

async function waitForConnections(url: string, exited: Promise<number | null>, log: () => string): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (gone !== undefined) throw new Error(`postgres exited (${gone}) before accepting connections:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
