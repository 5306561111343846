// A container in namespaces of its own: its root as an fstab (rootfs.ts) with
// the pod's volumes mounted in, the pod sandbox's namespaces to join, and the
// command lines that start it and exec into it (launch.ts).
import { writeFileSync } from 'node:fs';
import type { ContainerSpec, Pod } from '../types';
import type { ContainerRuntime } from './container';
import { type Executable, PROGRAMS_DIR } from './images';
import { namespacedRuntime, type NamespaceRefs } from './launch';
import * as msg from './messages';
import { baseMounts, containerPaths, type Mount, renderFstab, sortVolumeMounts } from './rootfs';
import type { PodSandbox } from './sandbox';
import type { SecuritySettings } from './security';
import { mountSource } from './volumes';

/** The runtime refused to create the container (the kubelet's CreateContainerError). */
export class CreateContainerError extends Error {}

export interface NamespacedContainer {
  pod: Pod;
  spec: ContainerSpec;
  exe: Executable;
  security: SecuritySettings;
  /** Which instance of the container: its directory on the node. */
  restartCount: number;
  sandbox: PodSandbox;
  overlay: boolean;
  skeleton: string;
  setupScript: string;
  pid: NamespaceRefs['pid'];
}

/** Prepare the container's root and return how to start it; throws CreateContainerError. */
export function namespacedContainer(c: NamespacedContainer): ContainerRuntime {
  const volumeMounts: Mount[] = (c.spec.volumeMounts ?? []).map((m) => {
    const volume = c.sandbox.volumes.get(m.name);
    if (!volume) throw new CreateContainerError(msg.volumeNotFound(m.name));
    // Bind mounts are recursive, as the kubelet asks of the runtime; the mount point is made where missing.
    const options = ['rbind', 'X-mount.mkdir', ...(m.readOnly || volume.readOnly ? ['ro'] : [])];
    return { source: mountSource(volume, m.subPath), target: m.mountPath, type: 'none', options };
  });
  const dir = c.sandbox.containerDir(c.spec.name, c.restartCount);
  const paths = containerPaths(dir);
  const base = baseMounts(
    {
      overlay: c.overlay,
      privileged: c.security.privileged,
      hostIPC: !!c.pod.spec.hostIPC,
      etcFiles: c.sandbox.etcFiles(),
      node: process.execPath,
      programs: PROGRAMS_DIR,
    },
    `${paths.fs}/layers`,
  );
  writeFileSync(paths.fstab, renderFstab(paths, [...base, ...sortVolumeMounts(volumeMounts)]));
  const { net, uts, ipc } = c.sandbox.namespaces();
  return namespacedRuntime(
    {
      paths,
      skeleton: c.skeleton,
      setupScript: c.setupScript,
      namespaces: { net, uts, ipc, pid: c.pid },
      workingDir: c.spec.workingDir || '/',
      security: c.security,
      tty: !!c.spec.tty,
    },
    c.exe,
    dir,
  );
}
