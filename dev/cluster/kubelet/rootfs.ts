// A container's root filesystem, as mounts: a fresh tmpfs (the writable
// layer), the host's userland standing in for the image (/usr, /etc and the
// /bin, /lib… links or directories, as writable overlays where the kernel has
// overlayfs, else read-only binds), a fresh /proc for the container's PID
// namespace, a minimal /dev, the pod's /etc/hosts, /etc/hostname and
// /etc/resolv.conf, the simulator's programs at /.ephemera, then the volumes.
// All of it is mounted inside the container's own mount namespace (see
// launch.ts), so the host's mount table never changes and nothing needs
// unmounting when the container is gone.
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Mount {
  source: string;
  /** Absolute, inside the container. */
  target: string;
  /** Filesystem type; `none` for a bind. */
  type: string;
  options: string[];
  /** The source is a path inside the container (a bind of part of the container's own /proc). */
  sourceInRoot?: boolean;
}

export interface RootfsOptions {
  /** overlayfs works here: /usr and /etc are writable, mount points can be made anywhere. */
  overlay: boolean;
  privileged: boolean;
  hostIPC: boolean;
  /** The pod's /etc/hosts, /etc/hostname, /etc/resolv.conf (host paths), when it has its own. */
  etcFiles?: { hosts: string; hostname: string; resolvConf: string };
  /** The Node binary and the programs directory the simulated images' own binaries run from. */
  node: string;
  programs: string;
}

/** Top-level directories whose content comes from the host (the "image"). */
const USERLAND = ['usr', 'etc', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

/** Where the kubelet keeps a container's root: `fs` holds the tmpfs (root and overlay layers), `rootfs` is the mount point. */
export const containerPaths = (dir: string) => ({
  fs: path.join(dir, 'fs'),
  rootfs: path.join(dir, 'rootfs'),
  fstab: path.join(dir, 'fstab'),
});

/** The host's userland directories that exist as directories (not links): each is a mount of its own. */
export function userlandDirs(): string[] {
  return USERLAND.filter((d) => {
    try {
      return lstatSync(`/${d}`).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * The skeleton copied into each container's fresh tmpfs: the root's
 * directories, device and file mount points, the host's /bin-style links,
 * and empty overlay layers. Made by each kubelet, after the host it runs on.
 */
export function makeSkeleton(stateDir: string): string {
  const skel = path.join(stateDir, 'rootfs-skeleton');
  rmSync(skel, { recursive: true, force: true });
  const root = path.join(skel, 'root');
  const dir = (p: string, mode = 0o755) => {
    mkdirSync(path.join(root, p), { recursive: true });
    chmodSync(path.join(root, p), mode);
  };
  for (const d of ['proc', 'sys', 'dev/pts', 'dev/shm', 'run', 'home', 'mnt', 'opt', 'srv', 'var/lib', 'var/log', 'var/cache', '.ephemera/programs']) dir(d);
  dir('tmp', 0o1777);
  dir('var/tmp', 0o1777);
  dir('root', 0o700);
  for (const d of USERLAND) {
    let stat;
    try {
      stat = lstatSync(`/${d}`);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(`/${d}`), path.join(root, d));
    else if (stat.isDirectory()) {
      dir(d);
      for (const layer of ['upper', 'work']) mkdirSync(path.join(skel, 'layers', d, layer), { recursive: true });
    }
  }
  for (const dev of DEVICES) writeFileSync(path.join(root, 'dev', dev), '');
  writeFileSync(path.join(root, '.ephemera', 'node'), '');
  symlinkSync('/proc/self/fd', path.join(root, 'dev', 'fd'));
  ['stdin', 'stdout', 'stderr'].forEach((name, fd) => symlinkSync(`/proc/self/fd/${fd}`, path.join(root, 'dev', name)));
  symlinkSync('pts/ptmx', path.join(root, 'dev', 'ptmx'));
  symlinkSync('/run', path.join(root, 'var', 'run'));
  return skel;
}

const bind = (source: string, target: string, ...options: string[]): Mount => ({ source, target, type: 'none', options: ['bind', ...options] });

/** The mounts every container gets, in order, before its volumes. */
export function baseMounts(o: RootfsOptions, layers: string): Mount[] {
  const mounts: Mount[] = [];
  for (const d of userlandDirs()) {
    mounts.push(
      o.overlay
        ? {
            source: 'overlay',
            target: `/${d}`,
            type: 'overlay',
            options: [`lowerdir=/${d}`, `upperdir=${layers}/${d}/upper`, `workdir=${layers}/${d}/work`],
          }
        : bind(`/${d}`, `/${d}`, 'ro'),
    );
  }
  mounts.push({ source: 'proc', target: '/proc', type: 'proc', options: ['nosuid', 'nodev', 'noexec'] });
  // Unprivileged containers cannot change the node's kernel settings (runc's read-only /proc/sys).
  if (!o.privileged) mounts.push({ ...bind('/proc/sys', '/proc/sys', 'ro'), sourceInRoot: true });
  // Read-only per mount, not per superblock: the containers of a pod share one sysfs (their network's).
  mounts.push({ source: 'sysfs', target: '/sys', type: 'sysfs', options: ['nosuid', 'nodev', 'noexec'] });
  if (!o.privileged) mounts.push({ ...bind('/sys', '/sys', 'ro'), sourceInRoot: true });
  if (o.privileged) {
    // A privileged container sees every device of the node.
    mounts.push({ source: '/dev', target: '/dev', type: 'none', options: ['rbind'] });
  } else {
    for (const dev of DEVICES) mounts.push(bind(`/dev/${dev}`, `/dev/${dev}`));
    // The node's pseudo-terminals: the container's own terminal is one of them.
    mounts.push(bind('/dev/pts', '/dev/pts'));
    mounts.push(
      o.hostIPC
        ? bind('/dev/shm', '/dev/shm')
        : { source: 'shm', target: '/dev/shm', type: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', 'mode=1777', 'size=65536k'] },
    );
  }
  mounts.push(bind(o.node, '/.ephemera/node', 'ro'));
  mounts.push(bind(o.programs, '/.ephemera/programs', 'ro'));
  if (o.etcFiles) {
    if (existsSync('/etc/hosts')) mounts.push(bind(o.etcFiles.hosts, '/etc/hosts'));
    if (existsSync('/etc/hostname')) mounts.push(bind(o.etcFiles.hostname, '/etc/hostname'));
    if (existsSync('/etc/resolv.conf')) mounts.push(bind(o.etcFiles.resolvConf, '/etc/resolv.conf'));
  }
  return mounts;
}

/** fstab's escapes for a field: space, tab, newline and backslash as octal. */
const field = (s: string) => s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

/**
 * The fstab `mount -a` reads inside the container's mount namespace: the
 * root (a bind of the tmpfs's root directory, so pivot_root has a mount
 * point), then every mount with its target under the root.
 */
export function renderFstab(paths: { fs: string; rootfs: string }, mounts: Mount[]): string {
  const inRoot = (p: string) => path.posix.join(paths.rootfs, p);
  const lines = [[`${paths.fs}/root`, paths.rootfs, 'none', 'bind']];
  for (const m of mounts) {
    lines.push([m.sourceInRoot ? inRoot(m.source) : m.source, inRoot(m.target), m.type, m.options.join(',') || 'defaults']);
  }
  return lines.map((l) => `${l.map(field).join(' ')} 0 0`).join('\n') + '\n';
}

/** Volumes after the base mounts, parents before children (as runc orders them). */
export function sortVolumeMounts(mounts: Mount[]): Mount[] {
  const depth = (m: Mount) => path.posix.normalize(m.target).split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(a) - depth(b));
}
