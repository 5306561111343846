import { describe, expect, it } from 'vitest';
import { BadRequestError, logQuerySchema, parseOrThrow, podFilterFrom, podParams } from './params';

describe('podFilterFrom', () => {
  it('reads the filter from a query string, leaving out empty parameters', () => {
    expect(podFilterFrom(new URLSearchParams('namespace=pxc&q=pxc-0&status=Running,CrashLoopBackOff&label=app%3Dweb'))).toEqual({
      namespace: 'pxc',
      q: 'pxc-0',
      status: ['Running', 'CrashLoopBackOff'],
      label: 'app=web',
    });
    expect(podFilterFrom(new URLSearchParams('namespace=&q=&status=&label='))).toEqual({});
    expect(podFilterFrom({ namespace: ['shop', 'pxc'] })).toEqual({ namespace: 'shop' });
    expect(podFilterFrom(new URLSearchParams('node=node-a&ephemeral=true'))).toEqual({ node: 'node-a', ephemeral: true });
    expect(podFilterFrom(new URLSearchParams('ephemeral=false'))).toEqual({});
  });

  it('refuses a bad namespace, status or selector with a 400 naming the parameter', () => {
    const problem = (query: string) => {
      try {
        podFilterFrom(new URLSearchParams(query));
      } catch (error) {
        expect(error).toBeInstanceOf(BadRequestError);
        expect((error as BadRequestError).status).toBe(400);
        return (error as Error).message;
      }
      throw new Error('expected a BadRequestError');
    };
    expect(problem('namespace=Not_A_Namespace')).toMatch(/^namespace must be a DNS label/);
    expect(problem('status=Running,Sleeping')).toMatch(/^status must be one or more of Running, Pending/);
    expect(problem('label=a b')).toMatch(/^label: "a b" is not a label selector term/);
  });
});

describe('route parameters', () => {
  it('validates names as Kubernetes does', () => {
    expect(parseOrThrow(podParams, { cluster: 'dev-dashboard', namespace: 'pxc', name: 'cluster1-pxc-0' })).toEqual({ cluster: 'dev-dashboard', namespace: 'pxc', name: 'cluster1-pxc-0' });
    expect(() => parseOrThrow(podParams, { cluster: 'c', namespace: 'pxc', name: '../etc' })).toThrow(/name must be a DNS subdomain/);
  });

  it('reads log options: flags, tail lines within bounds', () => {
    expect(parseOrThrow(logQuerySchema, { container: 'pxc', previous: 'true', follow: '0', tailLines: '100' })).toEqual({ container: 'pxc', previous: true, follow: false, tailLines: 100 });
    expect(parseOrThrow(logQuerySchema, {})).toEqual({ previous: false, follow: false });
    expect(() => parseOrThrow(logQuerySchema, { tailLines: '0' })).toThrow(/tailLines must be at least 1/);
    expect(() => parseOrThrow(logQuerySchema, { tailLines: 'ten' })).toThrow(/tailLines must be a whole number/);
    expect(() => parseOrThrow(logQuerySchema, { follow: 'yes' })).toThrow(/follow must be true or false/);
  });
});
