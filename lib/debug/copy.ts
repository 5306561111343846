// Workflow 5: a copy of the pod with images or a command changed, or a debug
// container added — kubectl's `--copy-to`, built exactly as v1.32's
// generatePodCopyWithDebugContainer builds it. Deleting the original
// (`--replace`) is a separate step; the build only records it.
import type { CopyRequest } from './request';
import type { Adjustment, Container, Pod, Refusal, Warning } from './types';
import { adjustmentsFor, effectiveCustom, inFieldOrder, requestedContainer, warningsFor, type BuildDeps } from './container';
import { mergeCustom } from './custom';
import { defaultDebugContainerName } from './names';
import { applyProfile } from './profiles';
import { validateCopyRequest } from './validate';

export interface PodCopyBuild {
  ok: true;
  request: CopyRequest;
  /** `POST /api/v1/namespaces/NS/pods`. */
  pod: Pod;
  /** The container to attach to; absent when only images were changed. */
  containerName?: string;
  /** `--replace`: delete this pod once the copy exists. */
  deleteOriginal?: { namespace: string; name: string };
  adjustments: Adjustment[];
  warnings: Warning[];
}

/** A fresh pod: name, namespace, labels and annotations of the original, its spec without ephemeral containers. */
function copyOf(request: CopyRequest, original: Pod): Pod {
  const { metadata } = original;
  const spec = structuredClone(original.spec);
  delete spec.ephemeralContainers;
  if (request.shareProcesses !== undefined) spec.shareProcessNamespace = request.shareProcesses;
  if (!request.sameNode) delete spec.nodeName;
  for (const c of spec.containers) {
    const image = request.setImages[c.name] ?? request.setImages['*'];
    if (image) c.image = image;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: request.copyTo,
      namespace: original.metadata.namespace ?? request.namespace,
      ...(metadata.annotations ? { annotations: { ...metadata.annotations } } : {}),
      ...(metadata.labels ? { labels: { ...metadata.labels } } : {}),
    },
    spec,
  };
}

/** Change an existing container as kubectl does: only what was asked, and args go when the command changes. */
function changeContainer(c: Container, request: CopyRequest): void {
  if (request.command !== undefined) {
    c.command = request.command;
    if (request.args !== undefined) c.args = request.args;
    else delete c.args;
  } else if (request.args !== undefined) c.args = request.args;
  if (request.env.length > 0) c.env = requestedContainer(request, c.name).env;
  if (request.image) c.image = request.image;
  if (request.imagePullPolicy) c.imagePullPolicy = request.imagePullPolicy;
  for (const flag of ['stdin', 'tty'] as const) {
    if (request[flag]) c[flag] = true;
    else delete c[flag];
  }
}

export function buildPodCopy(request: CopyRequest, original: Pod, deps: BuildDeps): PodCopyBuild | Refusal {
  const errors = validateCopyRequest(request, original);
  if (errors.length > 0) return { ok: false, errors };

  const pod = copyOf(request, original);
  const deleteOriginal = request.replace ? { namespace: request.namespace, name: request.pod } : undefined;
  const index = pod.spec.containers.findIndex((c) => c.name === request.name);
  // kubectl: with only --set-image, the copy is done — no debug container, no profile.
  if (index < 0 && !request.image) {
    return { ok: true, request, pod, deleteOriginal, adjustments: [], warnings: [] };
  }

  let name: string;
  if (index >= 0) {
    name = request.name!;
    changeContainer(pod.spec.containers[index], request);
  } else {
    name = request.name ?? defaultDebugContainerName(pod.spec, deps.random);
    pod.spec.containers.push(requestedContainer(request, name));
  }
  applyProfile(request.profile, 'copy', pod, name, request.keep);
  const at = pod.spec.containers.findIndex((c) => c.name === name);
  const debugContainer = mergeCustom(pod.spec.containers[at], effectiveCustom(request));
  pod.spec.containers[at] = index >= 0 ? debugContainer : inFieldOrder(debugContainer);

  return {
    ok: true,
    request: { ...request, name },
    pod,
    containerName: name,
    deleteOriginal,
    adjustments: adjustmentsFor(request),
    warnings: warningsFor(request, pod.spec.containers[at], pod, deps),
  };
}
