import { metricsAccess } from './metrics-token';

const TOKEN = 'a-metrics-token-of-32-characters';

describe('metricsAccess', () => {
  it('should be DISABLED whatever the request sends when no METRICS_TOKEN is configured', () => {
    expect([undefined, '', `Bearer ${TOKEN}`].map((header) => metricsAccess(undefined, header))).toEqual(['DISABLED', 'DISABLED', 'DISABLED']);
  });

  it('should grant the configured bearer token when it is sent exactly, the scheme in any case', () => {
    expect(metricsAccess(TOKEN, `Bearer ${TOKEN}`)).toBe('GRANTED');
    expect(metricsAccess(TOKEN, `bearer ${TOKEN}`)).toBe('GRANTED');
  });

  it('should refuse when the header is missing, another scheme, another token, a prefix or a longer token', () => {
    const headers = [undefined, '', `Basic ${TOKEN}`, TOKEN, 'Bearer wrong-token-wrong-token-wrong!', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN} extra`];
    expect(headers.map((header) => metricsAccess(TOKEN, header))).toEqual(headers.map(() => 'REFUSED'));
  });
});
