// The pure core of debug sessions: request → validated spec (or refusal),
// exactly as kubectl v1.32 builds it, plus what Ephemera adds, said out loud.
export type * from './types';
export * from './request';
export { buildEphemeralContainer, ephemeralContainersPatch, type EphemeralBuild } from './ephemeral';
export { buildNodeDebugPod, NODE_DEBUG_CONTAINER, type NodeDebugBuild } from './node';
export { buildPodCopy, type PodCopyBuild } from './copy';
export { applyProfile, mountsHostRoot, DEFAULT_KEEP, LEGACY_DEPRECATION } from './profiles';
export { mergeCustom } from './custom';
export { effectiveCustom, type BuildDeps } from './container';
export { kubectlCommandFor, shellQuote, CUSTOM_FILE, type KubectlCommand } from './kubectl-command';
export {
  imageUserWarning,
  imageUserOf,
  effectiveRunAs,
  NON_ROOT_UID,
  type CatalogueEntry,
  type ImageUserLookup,
  type KnownImageUsers,
  type ImageUserWarning,
  type ImageUserProposal,
} from './image-user';
export { explainWaitingReason } from './waiting';
export { parseImageReference, imageReferenceError, isDigestPinned, type ImageReference } from './image-reference';
export { describeErrors } from './field-errors';
