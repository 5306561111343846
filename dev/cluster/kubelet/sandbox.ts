// A pod's sandbox, as far as the simulator has one: its network identity and
// its directory on the node (container logs and working directories).
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContainerSpec, Pod } from '../types';

export class PodSandbox {
  readonly dir: string;
  podIP?: string;

  constructor(
    private readonly stateDir: string,
    pod: Pod,
  ) {
    const ns = pod.metadata.namespace ?? 'default';
    this.dir = path.join(stateDir, 'pods', `${ns}_${pod.metadata.name}_${pod.metadata.uid ?? ''}`);
  }

  get ready(): boolean {
    return this.podIP !== undefined;
  }

  /** One file per container instance, like /var/log/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log. */
  logFile(container: string, restartCount: number): string {
    return path.join(this.dir, container, `${restartCount}.log`);
  }

  /**
   * spec.workingDir when the host has it (the host's filesystem stands in for
   * the image's), else a directory of the container's own, so files it writes
   * stay with the pod.
   */
  workingDir(spec: ContainerSpec, uid: number, gid: number): string {
    if (spec.workingDir && existsSync(spec.workingDir) && statSync(spec.workingDir).isDirectory()) return spec.workingDir;
    const dir = path.join(this.dir, spec.name, 'rootfs');
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0 && uid !== 0) {
      // A non-root container must be able to reach and use its directory.
      for (let d = path.dirname(dir); d.startsWith(this.stateDir); d = path.dirname(d)) {
        chmodSync(d, 0o755);
        if (d === this.stateDir) break;
      }
      chownSync(dir, uid, gid);
    }
    return dir;
  }

  /** Gone with the pod, like the kubelet's pod directory and its /var/log/pods entry. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
