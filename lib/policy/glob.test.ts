import { describe, expect, it } from 'vitest';
import { parseImageReference } from '@/lib/debug/image-reference';
import { matchesGlob, matchesImagePattern, parseImagePattern, type ImagePattern } from './glob';

const DIGEST = 'sha256:' + 'b'.repeat(64);

function matches(pattern: string, image: string): boolean {
  const parsed = parseImagePattern(pattern) as ImagePattern;
  return matchesImagePattern(parsed, parseImageReference(image)!);
}

describe('image patterns', () => {
  it.each([
    ['ghcr.io/ephemera/*', 'ghcr.io/ephemera/debug-tools:1.0', true],
    ['ghcr.io/ephemera/*', `ghcr.io/ephemera/debug-tools@${DIGEST}`, true],
    ['ghcr.io/ephemera/*', 'ghcr.io/ephemera/team/tool:1', false],
    ['ghcr.io/ephemera/**', 'ghcr.io/ephemera/team/tool:1', true],
    ['ghcr.io/ephemera/*', 'ghcr.io/ephemeral/tool:1', false],
    ['busybox:1.*', 'busybox:1.36', true],
    ['busybox:1.*', 'docker.io/library/busybox:1.36.1', true],
    ['busybox:1.*', 'busybox', false],
    ['busybox:1.*', 'busybox:latest', false],
    ['busybox:1.*', `busybox@${DIGEST}`, false],
    ['busybox:1.*', 'evil.example.com/busybox:1.36', false],
    ['busybox', 'busybox:anything', true],
    [`tools/debug@${DIGEST}`, `tools/debug@${DIGEST}`, true],
    [`tools/debug@${DIGEST}`, `tools/debug:1@${'sha256:' + 'c'.repeat(64)}`, false],
    ['**', 'quay.io/anything/at/all:1', true],
  ])('%s ~ %s → %s', (pattern, image, expected) => {
    expect(matches(pattern, image)).toBe(expected);
  });

  it('refuses a pattern no image could match', () => {
    expect(parseImagePattern('Busy Box')).toEqual({ error: '"Busy Box" cannot match any image: invalid reference format' });
  });

  it('matches namespaces', () => {
    expect(matchesGlob('kube-*', 'kube-system')).toBe(true);
    expect(matchesGlob('kube-*', 'shop')).toBe(false);
    expect(matchesGlob('team-?', 'team-a')).toBe(true);
  });
});
