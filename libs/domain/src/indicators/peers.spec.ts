import { MIN_PEER_PRACTICES, peerBenchmark } from './peers';

describe('peerBenchmark', () => {
  it('should withhold the values and the median of fewer than 5 peers', () => {
    expect(MIN_PEER_PRACTICES).toBe(5);
    expect(peerBenchmark([410, 380, 395, 402])).toEqual({ peers: [], peerMedian: null, peersWithheld: true });
    expect(peerBenchmark([])).toEqual({ peers: [], peerMedian: null, peersWithheld: true });
  });

  it('should give 5 peers sorted with their median', () => {
    // Sorted: 380, 395, 402, 410, 420; the middle (3rd) value is 402.
    expect(peerBenchmark([410, 380, 420, 395, 402])).toEqual({ peers: [380, 395, 402, 410, 420], peerMedian: 402, peersWithheld: false });
  });

  it('should take the mean of the two middle values for 6 peers', () => {
    // Sorted: 0.2, 0.4, 0.5, 0.6, 0.7, 0.9; median (0.5 + 0.6) / 2 = 0.55.
    const benchmark = peerBenchmark([0.9, 0.2, 0.6, 0.4, 0.7, 0.5]);
    expect(benchmark.peers).toEqual([0.2, 0.4, 0.5, 0.6, 0.7, 0.9]);
    expect(benchmark.peerMedian).toBeCloseTo(0.55, 12);
    expect(benchmark.peersWithheld).toBe(false);
  });
});
