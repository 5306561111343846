import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat, reapOrphans, registryDir } from './registry';

const spawned: number[] = [];
afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** A process leading a session of its own, as the kubelet starts every container. */
async function session(): Promise<{ pid: number; start: number; alive: () => boolean }> {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  const pid = child.pid!;
  spawned.push(pid);
  await new Promise((r) => setTimeout(r, 50));
  return { pid, start: procStat(pid)!.start, alive: () => !!procStat(pid) && !procStat(pid)!.zombie };
}

/** The record of an owner that no longer runs (pids stay below pid_max, so this one cannot be alive). */
function deadOwner(lines: string[]): string {
  mkdirSync(registryDir(), { recursive: true });
  const file = path.join(registryDir(), `${4_194_304 + Math.floor(Math.random() * 1000)}-1.sessions`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.skipIf(process.platform !== 'linux')('reapOrphans', () => {
  it('kills the sessions a dead dev cluster left, keeps ended ones and reused pids, then drops its record', async () => {
    const left = await session();
    const ended = await session();
    const reused = await session();
    const file = deadOwner([`+${left.pid} ${left.start}`, `+${ended.pid} ${ended.start}`, `-${ended.pid}`, `+${reused.pid} ${reused.start - 1}`]);
    // (Another dev cluster starting meanwhile may reap it first: the outcome is the same.)
    reapOrphans();
    await new Promise((r) => setTimeout(r, 50));
    expect(left.alive()).toBe(false);
    expect(ended.alive()).toBe(true);
    expect(reused.alive()).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
