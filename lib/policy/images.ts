// The policy's approved images: which rule an image falls under, and what
// the rules say about images' users (for the builder's runAsNonRoot warning).
import type { ImageUserLookup } from '@/lib/debug/image-user';
import { parseImageReference } from '@/lib/debug/image-reference';
import { matchesImagePattern, parseImagePattern } from './glob';
import type { ImageRule, Policy } from './schema';

/** The approved-image rules that match `image`, in policy order; none when it is not a valid reference. */
export function matchingRules(policy: Policy, image: string): ImageRule[] {
  const reference = parseImageReference(image);
  if (!reference) return [];
  return policy.images.approved.filter((rule) => {
    const pattern = parseImagePattern(rule.pattern);
    return !('error' in pattern) && matchesImagePattern(pattern, reference);
  });
}

/** The image's user as the first matching rule that states one says; for imageUserWarning and BuildDeps.imageUsers. */
export function imageUsersFrom(policy: Policy): ImageUserLookup {
  return (image) => matchingRules(policy, image).find((rule) => rule.user !== undefined)?.user;
}

/** Images to propose instead of one that runs as root: the default image, when the policy knows it runs as non-root. */
export function nonRootImagesFrom(policy: Policy): string[] {
  const user = imageUsersFrom(policy)(policy.images.default);
  return user !== undefined && user !== 0 ? [policy.images.default] : [];
}
