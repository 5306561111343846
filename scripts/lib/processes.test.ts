import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, startProcess } from './processes';

const node = (script: string) => [process.execPath, ['-e', script]] as const;

/** Running, as opposed to gone or a zombie (where PID 1 does not reap, a killed orphan stays one). */
function alive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

describe('startProcess', () => {
  it('resolves on the ready line with its match, and stop() ends the process', async () => {
    const [command, args] = node(`console.log('warming up'); console.log('ready on http://127.0.0.1:1234'); setInterval(() => {}, 1000);`);
    const seen: string[] = [];
    const started = await startProcess(command, args, { name: 'sample', ready: /^ready on (\S+)/, onLine: (line) => seen.push(line) });
    expect(started.match[1]).toBe('http://127.0.0.1:1234');
    expect(seen).toEqual(['warming up', 'ready on http://127.0.0.1:1234']);
    await started.stop();
    expect(await started.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('fails with the last output when the process exits before it is ready', async () => {
    const [command, args] = node(`console.error('cannot bind'); process.exit(3);`);
    await expect(startProcess(command, args, { name: 'sample', ready: /^ready/ })).rejects.toThrow(
      'sample exited (code 3) before it was ready.\nLast output of sample:\n  cannot bind',
    );
  });

  it('fails after the timeout and leaves the process stopped', async () => {
    const [command, args] = node(`console.log(process.pid); setInterval(() => {}, 1000);`);
    let pid = 0;
    await expect(
      startProcess(command, args, { name: 'sample', ready: /^never/, timeoutMs: 500, onLine: (line) => (pid = Number(line)) }),
    ).rejects.toThrow('sample did not print /^never/ within 0.5 s.');
    expect(alive(pid)).toBe(false);
  });

  it('stop() also ends descendants in their own session that ignore SIGTERM', async () => {
    // The grandchild calls setsid (detached) and ignores SIGTERM, like a PTY shell would.
    const grandchild = `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`;
    const [command, args] = node(`
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { detached: true, stdio: 'ignore' });
      console.log('ready ' + child.pid);
      process.on('SIGTERM', () => {});
      setInterval(() => {}, 1000);
    `);
    const started = await startProcess(command, args, { name: 'sample', ready: /^ready (\d+)/ });
    const grandchildPid = Number(started.match[1]);
    expect(alive(grandchildPid)).toBe(true);
    await started.stop(300);
    expect(await started.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await expect.poll(() => alive(grandchildPid)).toBe(false);
  });
});

describe('freePort', () => {
  it('returns a port that can be listened on', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
