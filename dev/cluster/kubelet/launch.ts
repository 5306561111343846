// How a container's processes start inside namespaces, with util-linux only:
//
//   setpriv --pdeathsig KILL        dies with the kubelet, whatever kills it
//   nsenter --net --uts --ipc …     the pod sandbox's namespaces (and a PID namespace to join)
//   unshare --mount [--pid --fork]  the container's own mount (and PID) namespace
//   sh container-setup.sh           assembles the root (rootfs.ts), pivot_root into it
//   setsid --ctty                   with a terminal in a PID namespace: a session inside it
//   setpriv --reuid … --            user, groups, capabilities, no_new_privs
//   the container's command         PID 1 of its namespace when it has one of its own
//
// An exec enters the namespaces of the container's command with nsenter.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRuntime } from './container';
import { inContainerRoot, type Executable } from './images';
import { STARTED_MARKER } from './processes';
import { userlandDirs } from './rootfs';
import { setprivArgs, type SecuritySettings } from './security';

/** Namespace files (/proc/<pid>/ns/<type>) a container joins; absent: the host's. */
export interface NamespaceRefs {
  net?: string;
  uts?: string;
  ipc?: string;
  /** `own`: a new PID namespace; `host`: the node's; else the file of one to join (the pod's, or a target container's). */
  pid: 'own' | 'host' | string;
}

export interface ContainerLaunch {
  /** The instance's directory on the host: fstab, and the fs/rootfs mount points. */
  paths: { fs: string; rootfs: string; fstab: string };
  skeleton: string;
  /** SETUP_SCRIPT as a file (writeSetupScript), so `ps` on the node shows a short command line. */
  setupScript: string;
  namespaces: NamespaceRefs;
  /** Inside the container; made when missing, as runc does. */
  workingDir: string;
  security: SecuritySettings;
  tty: boolean;
}

/**
 * A shell on a terminal sets and restores the terminal's foreground process
 * group; one outside its PID namespace reads as "No such process". So the
 * command leads a session of its own, inside, and takes the terminal (runc
 * does the same for a container's console).
 */
const ownSession = (tty: boolean, pid: NamespaceRefs['pid']) => (tty && pid !== 'host' ? ['setsid', '--ctty', '--wait'] : []);

/**
 * Runs as the container's first process, in its new mount namespace, with
 * the setup's errors on stdout (the kubelet reads them up to STARTED_MARKER).
 * Arguments: fs, skeleton, rootfs, fstab, working dir, the mounts to make
 * read-only at the end (readOnlyRootFilesystem: the root and its userland), then the command.
 */
export const SETUP_SCRIPT = `
FS=$1 SKEL=$2 ROOT=$3 FSTAB=$4 WD=$5 RO=$6
shift 6
exec 3>&2 2>&1
read -r PID _ </proc/self/stat
mount -t tmpfs -o mode=0755 ephemera-rootfs "$FS" && cp -a "$SKEL/." "$FS/" && mount -a -T "$FSTAB" || exit 128
cd "$ROOT" && pivot_root . . && umount -l . && cd / || exit 128
[ -d "$WD" ] || mkdir -p "$WD" || exit 128
for m in $RO; do mount -o remount,bind,ro "$m" || exit 128; done
cd "$WD" || exit 128
echo "${STARTED_MARKER} $PID"
exec 2>&3 3>&-
exec "$@"
`;

/** SETUP_SCRIPT in the kubelet's state directory (written by each kubelet, so never one of an older version). */
export function writeSetupScript(stateDir: string): string {
  const file = path.join(stateDir, 'container-setup.sh');
  writeFileSync(file, SETUP_SCRIPT, { mode: 0o644 });
  return file;
}

const joinArgs = (ns: NamespaceRefs): string[] => [
  ...(ns.net ? [`--net=${ns.net}`] : []),
  ...(ns.uts ? [`--uts=${ns.uts}`] : []),
  ...(ns.ipc ? [`--ipc=${ns.ipc}`] : []),
  ...(ns.pid !== 'own' && ns.pid !== 'host' ? [`--pid=${ns.pid}`] : []),
];

/** The command line that starts a container's command `exe` in its namespaces and root. */
export function containerCommand(l: ContainerLaunch, exe: Executable): Executable {
  const join = joinArgs(l.namespaces);
  const ownPid = l.namespaces.pid === 'own';
  return {
    file: 'setpriv',
    args: [
      '--pdeathsig=KILL', '--',
      ...(join.length ? ['nsenter', ...join, '--'] : []),
      'unshare', '--mount', '--propagation=private', ...(ownPid ? ['--pid', '--fork', '--kill-child'] : []), '--',
      'sh', l.setupScript,
      l.paths.fs, l.skeleton, l.paths.rootfs, l.paths.fstab, l.workingDir,
      l.security.readOnlyRootFilesystem ? ['/', ...userlandDirs().map((d) => `/${d}`)].join(' ') : '',
      ...ownSession(l.tty, l.namespaces.pid),
      'setpriv', ...setprivArgs(l.security),
      exe.file, ...exe.args,
    ],
  };
}

/** The command line that runs `exe` inside the running container whose command has host pid `pid` (kubectl exec). */
export function execCommand(pid: number, l: Pick<ContainerLaunch, 'security' | 'namespaces'>, exe: Executable, tty: boolean): Executable {
  return {
    file: 'setpriv',
    args: [
      '--pdeathsig=KILL', '--',
      'nsenter', `--target=${pid}`, '--mount', '--pid', '--net', '--uts', '--ipc', '--root', '--wd', '--',
      ...ownSession(tty, l.namespaces.pid),
      'setpriv', ...setprivArgs(l.security),
      exe.file, ...exe.args,
    ],
  };
}

/** A container's processes inside its namespaces; every spawn happens as root in the instance's directory. */
export function namespacedRuntime(l: ContainerLaunch, exe: Executable, dir: string): ContainerRuntime {
  return {
    main: { ...containerCommand(l, inContainerRoot(exe)), cwd: dir, setup: true, unshareFork: l.namespaces.pid === 'own' },
    exec: (e, pid, tty) => ({ ...execCommand(pid, l, inContainerRoot(e), tty), cwd: dir }),
  };
}
