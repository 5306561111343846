import { describe, expect, it } from 'vitest';
import { imageReferenceError, isDigestPinned, normalizeRepository, parseImageReference } from './image-reference';

const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('image references', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['nicolaka/netshoot', 'docker.io/nicolaka/netshoot:latest'],
    ['index.docker.io/library/alpine:3', 'docker.io/library/alpine:3'],
    ['ghcr.io/ephemera/debug-tools:1.0', 'ghcr.io/ephemera/debug-tools:1.0'],
    ['localhost:5000/tools', 'localhost:5000/tools:latest'],
    [`ghcr.io/ephemera/debug-tools@${DIGEST}`, `ghcr.io/ephemera/debug-tools@${DIGEST}`],
  ])('%s normalizes to %s', (ref, normalized) => {
    expect(parseImageReference(ref)?.normalized).toBe(normalized);
  });

  it.each([
    ['', 'must not be empty'],
    [' busybox', 'must not have leading or trailing whitespace'],
    ['Busybox', 'invalid reference format: repository name must be lowercase'],
    ['busybox:', 'invalid reference format'],
    ['busy box', 'invalid reference format'],
    ['busybox@sha256:abc', 'invalid reference format'],
    [`${'a'.repeat(256)}`, 'repository name must not be more than 255 characters'],
  ])('refuses %j: %s', (ref, error) => {
    expect(imageReferenceError(ref)).toBe(error);
    expect(parseImageReference(ref)).toBeUndefined();
  });

  it('knows a full sha256 digest pin', () => {
    expect(isDigestPinned(`busybox@${DIGEST}`)).toBe(true);
    expect(isDigestPinned(`busybox:1.36@${DIGEST}`)).toBe(true);
    expect(isDigestPinned('busybox:1.36')).toBe(false);
  });

  it('normalizes a repository pattern without touching its globs', () => {
    expect(normalizeRepository('busybox')).toBe('docker.io/library/busybox');
    expect(normalizeRepository('ghcr.io/ephemera/*')).toBe('ghcr.io/ephemera/*');
  });
});
