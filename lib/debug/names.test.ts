import { describe, expect, it } from 'vitest';
import { defaultDebugContainerName, dns1123LabelErrors, dns1123SubdomainErrors, nodeDebugPodName, randomSuffix } from './names';
import { spelling } from './test-support';

describe('names', () => {
  it("makes kubectl's five-letter suffixes from the injected source, only from its alphabet", () => {
    expect(randomSuffix(spelling('x7k2p'))).toBe('x7k2p');
    expect(randomSuffix(() => 0)).toBe('bbbbb');
    expect(randomSuffix(() => 0.999999)).toBe('99999');
    expect(nodeDebugPodName('node-a', spelling('w7727'))).toBe('node-debugger-node-a-w7727');
  });

  it('gives up, loudly, on a random source that never yields a free name', () => {
    expect(() => defaultDebugContainerName({ containers: [{ name: 'debugger-bbbbb' }] }, () => 0)).toThrow(/repeats itself/);
  });

  it('words DNS-1123 errors as the apiserver does', () => {
    expect(dns1123LabelErrors('ok-1')).toEqual([]);
    expect(dns1123LabelErrors('a.b')).toEqual(['must not contain dots']);
    expect(dns1123LabelErrors('A')[0]).toBe(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
    expect(dns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(dns1123SubdomainErrors('node-a.example.com')).toEqual([]);
    expect(dns1123SubdomainErrors('-x')).toHaveLength(1);
  });
});
