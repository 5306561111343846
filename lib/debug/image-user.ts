// Predicting the kubelet's runAsNonRoot check before the container exists:
// with `runAsNonRoot: true` (the restricted profile) the kubelet refuses an
// image whose user is root — CreateContainerConfigError, "container has
// runAsNonRoot and image will run as root" — and a runAsUser of 0 outright.
import { parseImageReference } from './image-reference';
import type { PodSecurityContext, SecurityContext, Warning } from './types';

/** An image catalogue entry, as the dev cluster's kubelet catalogue has them: which user the image runs as. */
export interface CatalogueEntry {
  /** Normalized repository, e.g. `docker.io/library/busybox`. */
  repository: string;
  /** The tags this entry is for; absent = every tag. */
  tags?: readonly string[];
  user: { uid: number };
}

/** The image's user (uid) if known, e.g. from the policy's approved images. */
export type ImageUserLookup = (image: string) => number | undefined;

export type KnownImageUsers = ImageUserLookup | readonly CatalogueEntry[];

/** The uid that distroless and Ephemera's debug image use for "nonroot". */
export const NON_ROOT_UID = 65532;

export function imageUserOf(image: string, known: KnownImageUsers): number | undefined {
  if (typeof known === 'function') return known(image);
  const ref = parseImageReference(image);
  if (!ref) return undefined;
  const tag = ref.tag ?? 'latest';
  const entry =
    known.find((e) => e.repository === ref.repository && e.tags?.includes(tag)) ?? known.find((e) => e.repository === ref.repository && !e.tags);
  return entry?.user.uid;
}

/** What the kubelet checks: the container's runAsNonRoot / runAsUser, else the pod's. */
export function effectiveRunAs(pod: PodSecurityContext | undefined, container: SecurityContext | undefined): { runAsNonRoot?: boolean; runAsUser?: number } {
  return {
    runAsNonRoot: container?.runAsNonRoot ?? pod?.runAsNonRoot,
    runAsUser: container?.runAsUser ?? pod?.runAsUser,
  };
}

export type ImageUserProposal = { kind: 'runAsUser'; runAsUser: number } | { kind: 'image'; image: string };

export interface ImageUserWarning extends Warning {
  code: 'imageRunsAsRoot' | 'runAsUserRoot' | 'imageUserUnknown';
  image: string;
  /** What would make the kubelet start it. */
  proposals: ImageUserProposal[];
}

export interface ImageUserOptions {
  /** The non-root uid to propose; 65532 by default. */
  runAsUser?: number;
  /** Approved images known to run as a non-root user, to propose instead. */
  nonRootImages?: readonly string[];
}

/**
 * Whether the kubelet will refuse to start `image` under this security
 * context (container over pod, as the kubelet reads them), and what to do
 * about it; undefined when it will start.
 */
export function imageUserWarning(
  image: string,
  known: KnownImageUsers,
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number } | undefined,
  options: ImageUserOptions = {},
): ImageUserWarning | undefined {
  if (securityContext?.runAsNonRoot !== true) return undefined;
  const uid = options.runAsUser ?? NON_ROOT_UID;
  const alternatives = (options.nonRootImages ?? []).filter((i) => i !== image);
  const proposals: ImageUserProposal[] = [{ kind: 'runAsUser', runAsUser: uid }, ...alternatives.map((i) => ({ kind: 'image' as const, image: i }))];
  const orImage = alternatives.length > 0 ? `, or use ${alternatives.join(' or ')}, which run${alternatives.length === 1 ? 's' : ''} as a non-root user` : '';
  const runAsUser = securityContext.runAsUser;
  if (runAsUser === 0) {
    return {
      code: 'runAsUserRoot',
      image,
      proposals,
      message: `runAsUser is 0 (root) but runAsNonRoot is true, so the kubelet will refuse to start the container (CreateContainerConfigError: container's runAsUser breaks non-root policy). Set runAsUser to ${uid}${orImage}.`,
    };
  }
  if (runAsUser !== undefined) return undefined;
  const imageUser = imageUserOf(image, known);
  if (imageUser === undefined) {
    return {
      code: 'imageUserUnknown',
      image,
      proposals,
      message: `Ephemera does not know which user ${image} runs as; runAsNonRoot is true, so if it is root the kubelet will refuse to start it (CreateContainerConfigError). Set runAsUser to ${uid} to be sure${orImage}.`,
    };
  }
  if (imageUser !== 0) return undefined;
  return {
    code: 'imageRunsAsRoot',
    image,
    proposals,
    message: `${image} runs as root (uid 0) and runAsNonRoot is true, so the kubelet will refuse to start it (CreateContainerConfigError: container has runAsNonRoot and image will run as root). Set runAsUser to ${uid}${orImage}.`,
  };
}
