import { median } from '../statistics/descriptives';

/** Peer values are shown only when at least this many other practices have one (disclosure control). */
export const MIN_PEER_PRACTICES = 5;

export interface PeerBenchmark {
  /** The peers' values, ascending; empty when withheld. */
  peers: number[];
  peerMedian: number | null;
  peersWithheld: boolean;
}

/**
 * A practice's peers for one indicator (DOMAIN.md 7: the other practices of the same arm), as anonymous
 * sorted values with their median. With fewer than MIN_PEER_PRACTICES values a practice that knows its few
 * peers could tell whose value is whose, so the values and the median are withheld.
 */
export function peerBenchmark(values: readonly number[]): PeerBenchmark {
  if (values.length < MIN_PEER_PRACTICES) return { peers: [], peerMedian: null, peersWithheld: true };
  return { peers: [...values].sort((a, b) => a - b), peerMedian: median(values), peersWithheld: false };
}
