// A pod's volumes as directories on the node, the way the kubelet prepares
// them before containers start: emptyDir under the pod's directory, a
// persistentVolumeClaim as one directory per claim (pods of the same claim
// share it, and it outlives the pod), hostPath as the node's own path.
// Volumes whose content comes from API objects (configMap, secret, projected,
// downwardAPI) are empty here: the simulated node does not read those objects.
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Pod } from '../types';

export interface VolumeDir {
  path: string;
  /** Mounted read-only whatever the volumeMount says (configMap, secret…). */
  readOnly: boolean;
}

export class VolumeError extends Error {}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

/** The kubelet's `hostPath type check failed` reasons (pkg/volume/hostpath). */
function checkHostPath(p: string, type: string): void {
  const stat = existsSync(p) ? statSync(p) : undefined;
  const fail = (what: string) => {
    throw new VolumeError(`hostPath type check failed: ${p} is not a ${what}`);
  };
  switch (type) {
    case '':
    case 'DirectoryOrCreate':
      // containerd creates a missing bind source as a directory.
      if (!stat) mkdirSync(p, { recursive: true, mode: 0o755 });
      return;
    case 'FileOrCreate':
      if (!stat) {
        mkdirSync(path.dirname(p), { recursive: true });
        closeSync(openSync(p, 'a', 0o644));
      }
      return;
    case 'Directory':
      if (!stat?.isDirectory()) fail('directory');
      return;
    case 'File':
      if (!stat?.isFile()) fail('file');
      return;
    case 'Socket':
      if (!stat?.isSocket()) fail('socket');
      return;
    case 'CharDevice':
      if (!stat?.isCharacterDevice()) fail('character device');
      return;
    case 'BlockDevice':
      if (!stat?.isBlockDevice()) fail('block device');
      return;
    default:
      throw new VolumeError(`hostPath type check failed: ${p}: unknown type ${type}`);
  }
}

/** fsGroup: the volume's group and setgid bit, so files made in it belong to the group (SetVolumeOwnership). */
function applyFsGroup(dir: string, fsGroup: number | undefined, mode: number): void {
  chmodSync(dir, fsGroup === undefined ? mode : mode | 0o2070);
  if (fsGroup !== undefined) chownSync(dir, statSync(dir).uid, fsGroup);
}

/**
 * Make (or find) every volume of the pod; throws VolumeError with the kubelet's
 * reason for one that cannot be set up.
 */
export function prepareVolumes(pod: Pod, podDir: string, stateDir: string): Map<string, VolumeDir> {
  const fsGroup = obj(pod.spec.securityContext).fsGroup;
  const group = typeof fsGroup === 'number' ? fsGroup : undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const out = new Map<string, VolumeDir>();
  for (const volume of pod.spec.volumes ?? []) {
    const { name } = volume;
    try {
      if (volume.hostPath) {
        const hp = obj(volume.hostPath);
        const p = String(hp.path ?? '');
        checkHostPath(p, String(hp.type ?? ''));
        out.set(name, { path: p, readOnly: false });
      } else if (volume.persistentVolumeClaim) {
        const claim = String(obj(volume.persistentVolumeClaim).claimName ?? name);
        const dir = path.join(stateDir, 'persistentvolumes', ns, claim);
        mkdirSync(dir, { recursive: true });
        applyFsGroup(dir, group, 0o755);
        out.set(name, { path: dir, readOnly: obj(volume.persistentVolumeClaim).readOnly === true });
      } else {
        const type = volume.emptyDir ? 'empty-dir' : (Object.keys(volume).find((k) => k !== 'name') ?? 'unknown').toLowerCase();
        const dir = path.join(podDir, 'volumes', `kubernetes.io~${type}`, name);
        mkdirSync(dir, { recursive: true });
        applyFsGroup(dir, group, volume.emptyDir ? 0o777 : 0o755);
        out.set(name, { path: dir, readOnly: !volume.emptyDir });
      }
    } catch (error) {
      const reason = error instanceof VolumeError ? error.message : (error as Error).message;
      throw new VolumeError(`MountVolume.SetUp failed for volume ${JSON.stringify(name)} : ${reason}`);
    }
  }
  return out;
}

/** A volumeMount's source: the volume's directory, or its subPath (made when missing, as the kubelet does). */
export function mountSource(volume: VolumeDir, subPath: string | undefined): string {
  if (!subPath) return volume.path;
  const p = path.join(volume.path, subPath);
  if (!p.startsWith(volume.path)) throw new VolumeError(`subPath ${JSON.stringify(subPath)} leaves the volume`);
  if (!existsSync(p)) mkdirSync(p, { recursive: true, mode: 0o755 });
  return p;
}
