import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFileFor, lockFolder } from './folder-lock';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const folder = () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-lock-'));
  return path.join(dir, 'data');
};

describe('the PGlite folder lock', () => {
  it('is a file beside the folder naming this process, removed on release', () => {
    const data = folder();
    const release = lockFolder(data);
    expect(lockFileFor(data)).toBe(`${data}.lock`);
    expect(fs.readFileSync(`${data}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${data}.lock`)).toBe(false);
  });

  it('refuses while another live process holds it, naming the process and what to do', () => {
    const data = folder();
    fs.writeFileSync(`${data}.lock`, `${process.ppid}\n`);
    expect(() => lockFolder(data)).toThrow(`in use by another process (pid ${process.ppid}`);
    expect(() => lockFolder(data)).toThrow(/EPHEMERA_DATA_DIR/);
    expect(fs.readFileSync(`${data}.lock`, 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a lock whose process is gone', () => {
    const data = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(`${data}.lock`, `${gone.stdout}\n`);
    const release = lockFolder(data);
    expect(fs.readFileSync(`${data}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('does not remove a lock that another process took since', () => {
    const data = folder();
    const release = lockFolder(data);
    fs.writeFileSync(`${data}.lock`, `${process.ppid}\n`);
    release();
    expect(fs.readFileSync(`${data}.lock`, 'utf8').trim()).toBe(String(process.ppid));
  });
});
