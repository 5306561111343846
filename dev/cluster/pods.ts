import type { ContainerSpec, Pod } from './types';
import { fieldError, invalid } from './status';

/** Defaults the apiserver (and its admission chain) fill on pod creation, so `kubectl get -o yaml` reads as on a real cluster. */
export function applyPodDefaults(pod: Pod): Pod {
  const spec = pod.spec;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.serviceAccountName ??= (spec.serviceAccount as string | undefined) ?? 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  // DefaultTolerationSeconds admission: tolerate not-ready / unreachable nodes for 300s.
  const tolerations = (spec.tolerations as Array<Record<string, unknown>> | undefined) ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const covered = tolerations.some((t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (t.effect === 'NoExecute' || t.effect === undefined));
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) containerDefaults(c);
  for (const c of spec.ephemeralContainers ?? []) containerDefaults(c);
  return pod;
}

export function containerDefaults(c: ContainerSpec): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (c.imagePullPolicy === undefined && c.image) {
    const tagged = /:[^/]+$/.test(c.image) && !c.image.endsWith(':latest');
    c.imagePullPolicy = tagged || c.image.includes('@') ? 'IfNotPresent' : 'Always';
  }
}

const MUTABLE_POD_SPEC_FIELDS = ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates'];

/**
 * A pod's spec is immutable but for images, activeDeadlineSeconds and added
 * tolerations. Ephemeral containers change only through their subresource, so
 * an update keeps the old ones (as the pod strategy's PrepareForUpdate does).
 */
export function preparePodUpdate(oldPod: Pod, newPod: Pod): Pod {
  newPod.spec.ephemeralContainers = oldPod.spec.ephemeralContainers;
  if (oldPod.spec.ephemeralContainers === undefined) delete newPod.spec.ephemeralContainers;
  newPod.status = oldPod.status;
  const strip = (spec: Pod['spec']) => {
    const copy = structuredClone(spec) as Record<string, unknown>;
    for (const field of MUTABLE_POD_SPEC_FIELDS) delete copy[field];
    for (const list of ['containers', 'initContainers'] as const) {
      for (const c of (copy[list] as ContainerSpec[] | undefined) ?? []) delete c.image;
    }
    return JSON.stringify(copy, Object.keys(copy).sort());
  };
  const before = structuredClone(oldPod.spec);
  const after = structuredClone(newPod.spec);
  containerDefaultsAll(after);
  if (strip(before) !== strip(after) || (newPod.spec.nodeName ?? '') !== (oldPod.spec.nodeName ?? '')) {
    throw invalid('Pod', '', oldPod.metadata.name, [
      fieldError(
        'FieldValueForbidden',
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    ]);
  }
  return newPod;
}

function containerDefaultsAll(spec: Pod['spec']) {
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) containerDefaults(c);
}
