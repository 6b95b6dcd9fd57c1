import { describe, expect, it } from 'vitest';
import { clientNetwork } from './client-network.js';

describe('clientNetwork', () => {
  it('keeps IPv4 /24 and IPv6 /48, never the host part', () => {
    expect(clientNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(clientNetwork('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(clientNetwork('::FFFF:198.51.100.9')).toBe('198.51.100.0/24');
    expect(clientNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(clientNetwork('2001:0db8:0000:0012:0000:0000:0000:0001')).toBe('2001:db8:0::/48');
    expect(clientNetwork('::1')).toBe('0:0:0::/48');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(clientNetwork('64:ff9b::192.0.2.33')).toBe('64:ff9b:0::/48');
  });

  it('is empty for anything that is not an address', () => {
    for (const value of [undefined, '', 'localhost', '1.2.3', '999.1.1.1', '2001:db8::g', '1.2.3.4, 5.6.7.8']) {
      expect(clientNetwork(value), String(value)).toBe('');
    }
  });
});
