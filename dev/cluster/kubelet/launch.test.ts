import { describe, expect, it } from 'vitest';
import { containerCommand, execCommand, type ContainerLaunch } from './launch';
import { baseMounts, renderFstab, sortVolumeMounts, type Mount } from './rootfs';
import type { SecuritySettings } from './security';

const security: SecuritySettings = {
  uid: 1001, gid: 1001, groups: [], capabilities: ['chown'], noNewPrivs: false, privileged: false, readOnlyRootFilesystem: false, notApplied: [],
};
const launch = (over: Partial<ContainerLaunch> = {}): ContainerLaunch => ({
  paths: { fs: '/s/c/fs', rootfs: '/s/c/rootfs', fstab: '/s/c/fstab' },
  skeleton: '/s/skel',
  setupScript: '/s/setup.sh',
  namespaces: { net: '/proc/7/ns/net', uts: '/proc/7/ns/uts', ipc: '/proc/7/ns/ipc', pid: 'own' },
  workingDir: '/',
  security,
  tty: false,
  ...over,
});
const exe = { file: '/usr/bin/sh', args: ['-c', 'ps'] };
/** The words between the parent-death wrapper and the setup script. */
const wrappers = (args: string[]) => args.slice(0, args.indexOf('sh')).join(' ');

describe('containerCommand', () => {
  it('joins the pod\'s namespaces and makes its own PID and mount namespaces', () => {
    const c = containerCommand(launch(), exe);
    expect(c.file).toBe('setpriv');
    expect(wrappers(c.args)).toBe(
      '--pdeathsig=KILL -- nsenter --net=/proc/7/ns/net --uts=/proc/7/ns/uts --ipc=/proc/7/ns/ipc -- ' +
        'unshare --mount --propagation=private --pid --fork --kill-child --',
    );
    expect(c.args.slice(c.args.indexOf('sh'), c.args.indexOf('sh') + 8)).toEqual(['sh', '/s/setup.sh', '/s/c/fs', '/s/skel', '/s/c/rootfs', '/s/c/fstab', '/', '']);
    expect(c.args.slice(-3)).toEqual(['/usr/bin/sh', '-c', 'ps']);
  });

  it('joins a target\'s (or the pod\'s) PID namespace, or stays in the node\'s', () => {
    expect(wrappers(containerCommand(launch({ namespaces: { pid: '/proc/9/ns/pid' } }), exe).args)).toBe(
      '--pdeathsig=KILL -- nsenter --pid=/proc/9/ns/pid -- unshare --mount --propagation=private --',
    );
    expect(wrappers(containerCommand(launch({ namespaces: { pid: 'host' } }), exe).args)).toBe(
      '--pdeathsig=KILL -- unshare --mount --propagation=private --',
    );
  });

  it('gives a terminal its own session inside the PID namespace, and not on the node\'s', () => {
    expect(containerCommand(launch({ tty: true }), exe).args).toContain('setsid');
    expect(containerCommand(launch({ tty: true, namespaces: { pid: 'host' } }), exe).args).not.toContain('setsid');
  });
});

describe('execCommand', () => {
  it('enters every namespace and the root of the container\'s command, as its user', () => {
    const c = execCommand(42, launch(), exe, true);
    expect(c.args.join(' ')).toBe(
      '--pdeathsig=KILL -- nsenter --target=42 --mount --pid --net --uts --ipc --root --wd -- setsid --ctty --wait ' +
        'setpriv --reuid=1001 --regid=1001 --clear-groups --inh-caps=-all --bounding-set=-all,+chown --pdeathsig=KILL -- /usr/bin/sh -c ps',
    );
  });
});

describe('the container root', () => {
  const opts = { overlay: true, privileged: false, hostIPC: false, node: '/usr/bin/node', programs: '/p' };

  it('mounts a fresh /proc and /sys read-only, minimal /dev, unless privileged', () => {
    const targets = (ms: Mount[]) => ms.map((m) => `${m.target}${m.options.includes('ro') ? ' ro' : ''}`);
    const plain = targets(baseMounts(opts, '/l'));
    expect(plain).toEqual(expect.arrayContaining(['/proc', '/proc/sys ro', '/sys', '/sys ro', '/dev/null', '/dev/pts', '/dev/shm', '/.ephemera/node ro']));
    const privileged = targets(baseMounts({ ...opts, privileged: true }, '/l'));
    expect(privileged).toContain('/dev');
    expect(privileged).not.toContain('/dev/null');
    expect(privileged).not.toContain('/sys ro');
  });

  it('writes an fstab that mount -a reads: the root first, fields escaped, volumes parents first', () => {
    const volumes = sortVolumeMounts([
      { source: '/v/a b', target: '/data/sub', type: 'none', options: ['rbind', 'ro'] },
      { source: '/v/c', target: '/data', type: 'none', options: ['rbind'] },
    ]);
    expect(renderFstab({ fs: '/s/fs', rootfs: '/s/root' }, volumes)).toBe(
      '/s/fs/root /s/root none bind 0 0\n/v/c /s/root/data none rbind 0 0\n/v/a\\040b /s/root/data/sub none rbind,ro 0 0\n',
    );
  });
});
