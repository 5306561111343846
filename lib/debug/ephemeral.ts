// Workflows 1–3: an ephemeral container in a running pod, sharing its network
// (and with `target`, one container's processes; with volume mounts, its
// volumes), built exactly as kubectl v1.32's generateDebugContainer builds it,
// with the strategic merge patch kubectl sends.
import type { EphemeralRequest } from './request';
import type { Adjustment, EphemeralContainer, EphemeralContainersPatch, Pod, Refusal, Warning } from './types';
import { adjustmentsFor, effectiveCustom, inFieldOrder, requestedContainer, warningsFor, type BuildDeps } from './container';
import { mergeCustom } from './custom';
import { defaultDebugContainerName } from './names';
import { applyProfile, DEFAULT_KEEP } from './profiles';
import { validateEphemeralRequest } from './validate';

export interface EphemeralBuild {
  ok: true;
  /** The request as completed: the container name filled in. */
  request: EphemeralRequest;
  container: EphemeralContainer;
  /** `PATCH /api/v1/namespaces/NS/pods/POD/ephemeralcontainers`, Content-Type application/strategic-merge-patch+json. */
  patch: EphemeralContainersPatch;
  adjustments: Adjustment[];
  warnings: Warning[];
}

/**
 * What kubectl's CreateTwoWayMergePatch(pod, pod + container) yields: the new
 * container, and when the pod already has ephemeral containers, the order of
 * all of them (they can never be removed, so the list only grows).
 */
export function ephemeralContainersPatch(pod: Pod, container: EphemeralContainer): EphemeralContainersPatch {
  const existing = pod.spec.ephemeralContainers ?? [];
  if (existing.length === 0) return { spec: { ephemeralContainers: [container] } };
  return {
    spec: {
      '$setElementOrder/ephemeralContainers': [...existing.map((c) => ({ name: c.name })), { name: container.name }],
      ephemeralContainers: [container],
    },
  };
}

export function buildEphemeralContainer(request: EphemeralRequest, pod: Pod, deps: BuildDeps): EphemeralBuild | Refusal {
  const errors = validateEphemeralRequest(request, pod);
  if (errors.length > 0) return { ok: false, errors };

  const name = request.name ?? defaultDebugContainerName(pod.spec, deps.random);
  const requested: EphemeralContainer = { ...requestedContainer(request, name), ...(request.target ? { targetContainerName: request.target } : {}) };
  // As kubectl: the profile is applied to a copy of the pod holding the new container.
  const draft: Pod = structuredClone(pod);
  draft.spec.ephemeralContainers = [...(draft.spec.ephemeralContainers ?? []), requested];
  applyProfile(request.profile, 'ephemeral', draft, name, DEFAULT_KEEP);
  const profiled = draft.spec.ephemeralContainers[draft.spec.ephemeralContainers.length - 1];
  const container = inFieldOrder(mergeCustom(profiled, effectiveCustom(request)));

  return {
    ok: true,
    request: { ...request, name },
    container,
    patch: ephemeralContainersPatch(pod, container),
    adjustments: adjustmentsFor(request),
    warnings: warningsFor(request, container, pod, deps),
  };
}
