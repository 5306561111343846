// Container image references as distribution/reference reads them: the
// grammar kubectl checks `--image` against (ReferenceRegexp) and the
// normalization containerd applies (busybox → docker.io/library/busybox:latest).

const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** reference.ReferenceRegexp, anchored: name, optional tag, optional digest. */
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_TOTAL_LENGTH_MAX = 255;
/** What `@sha256:` digest pinning requires: the full hex digest. */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface ImageReference {
  /** Normalized repository, e.g. `docker.io/library/busybox`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** containerd's form: `docker.io/library/busybox:latest`, or `…@sha256:…` when pinned. */
  normalized: string;
}

/** Why kubectl (and the kubelet) would refuse this reference; undefined when it is valid. */
export function imageReferenceError(ref: string): string | undefined {
  if (ref.trim() === '') return 'must not be empty';
  if (ref !== ref.trim()) return 'must not have leading or trailing whitespace';
  const match = REFERENCE.exec(ref);
  if (!match) {
    const lowered = ref.toLowerCase();
    if (lowered !== ref && REFERENCE.test(lowered)) return 'invalid reference format: repository name must be lowercase';
    return 'invalid reference format';
  }
  if (match[1].length > NAME_TOTAL_LENGTH_MAX) return `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
  return undefined;
}

/** Split the domain off as docker's splitDockerDomain does: a first component with `.` or `:`, or `localhost`. */
function splitDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  let domain = hasDomain ? first : 'docker.io';
  let remainder = hasDomain ? name.slice(slash + 1) : name;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  return [domain, remainder];
}

/** Parse and normalize a valid reference; undefined when it is not one. */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (imageReferenceError(ref) !== undefined) return undefined;
  const [, name, tag, digest] = REFERENCE.exec(ref)!;
  const [domain, remainder] = splitDomain(name);
  const repository = `${domain}/${remainder}`;
  const effectiveTag = tag ?? (digest ? undefined : 'latest');
  const normalized = digest ? `${repository}@${digest}` : `${repository}:${effectiveTag}`;
  return { repository, tag: effectiveTag, digest, normalized };
}

/** Whether the reference is pinned by a full `sha256` digest. */
export function isDigestPinned(ref: string): boolean {
  const digest = parseImageReference(ref)?.digest;
  return digest !== undefined && SHA256_DIGEST.test(digest);
}

/** The repository part of a normalized name, for patterns: normalizes `busybox` but leaves globs alone. */
export function normalizeRepository(name: string): string {
  const [domain, remainder] = splitDomain(name);
  return `${domain}/${remainder}`;
}
