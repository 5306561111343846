// Patterns the operator writes in the policy: namespaces (`kube-*`) and
// images (`ghcr.io/ephemera/*`, `busybox:1.*`, `registry.example.com/**`,
// `tool@sha256:…`). Images are compared after normalization, so `busybox:1.*`
// matches `docker.io/library/busybox:1.36` and `busybox:1.36` alike.
import { imageReferenceError, normalizeRepository, type ImageReference } from '@/lib/debug/image-reference';

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** `*` = any run of characters but `separator`, `**` = any run at all, `?` = one character. */
export function globToRegExp(glob: string, separator = ''): RegExp {
  const one = separator ? `[^${escape(separator)}]` : '.';
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**', i)) {
      source += '.*';
      i++;
    } else if (glob[i] === '*') source += `${one}*`;
    else if (glob[i] === '?') source += one;
    else source += escape(glob[i]);
  }
  return new RegExp(`^${source}$`);
}

export function matchesGlob(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}

export interface ImagePattern {
  /** As written in the policy. */
  source: string;
  repository: RegExp;
  /** Absent: any tag (or a digest). */
  tag?: RegExp;
  /** Absent: any digest. */
  digest?: string;
}

const hasGlob = (s: string) => /[*?]/.test(s);

/** Parse an image pattern, or say why it is not one. */
export function parseImagePattern(pattern: string): ImagePattern | { error: string } {
  const at = pattern.indexOf('@');
  const digest = at >= 0 ? pattern.slice(at + 1) : undefined;
  let name = at >= 0 ? pattern.slice(0, at) : pattern;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  if (tag !== undefined) name = name.slice(0, colon);
  // A pattern is valid when some reference could match it: try it with its globs filled in.
  const example = pattern.replace(/\*\*|\*|\?/g, 'x');
  const error = imageReferenceError(example);
  if (error) return { error: `${JSON.stringify(pattern)} cannot match any image: ${error}` };
  const firstComponent = name.split('/')[0];
  const repository = hasGlob(firstComponent) ? name : normalizeRepository(name);
  return { source: pattern, repository: globToRegExp(repository, '/'), tag: tag === undefined ? undefined : globToRegExp(tag), digest };
}

export function matchesImagePattern(pattern: ImagePattern, image: ImageReference): boolean {
  if (!pattern.repository.test(image.repository)) return false;
  if (pattern.tag && (image.tag === undefined || !pattern.tag.test(image.tag))) return false;
  if (pattern.digest && image.digest !== pattern.digest) return false;
  return true;
}
