import type { ChartConfiguration } from 'chart.js';
import type { Arm, PeerIndicator } from '../api/types';
import { formatNumber, formatValue, scaleOf } from '../format';
import { axisRange, limitsOf } from './axis-bounds';
import { ARM_COLOURS, cell, ChartSpec, Translate } from './chart-types';

/**
 * One indicator of one practice among its peers of the same arm: every peer a small grey dot, the practice
 * itself a large dot in its arm's colour. Peers carry no name, only their value.
 */
export function buildPeerStrip(indicator: PeerIndicator, arm: Arm, t: Translate): ChartSpec<'scatter'> {
  const { factor } = scaleOf(indicator.unit);
  const peers = indicator.peers.map((v) => ({ x: v * factor, y: 0 }));
  const own = indicator.value === null ? [] : [{ x: indicator.value * factor, y: 0 }];
  // Withheld peers (fewer than 5 other practices) give no rank: "1 / 1" would suggest a comparison.
  const rank =
    indicator.value === null || indicator.peersWithheld
      ? null
      : indicator.peers.filter((v) => v < (indicator.value as number)).length + 1;
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: {
      datasets: [
        { label: t('table.peers'), data: peers, backgroundColor: 'rgba(80,80,80,0.55)', borderColor: '#505050', pointRadius: 4 },
        { label: t('table.own'), data: own, backgroundColor: ARM_COLOURS[arm], borderColor: '#fff', pointRadius: 8, pointStyle: 'rectRot' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        y: { display: false, min: -1, max: 1 },
        // Within what the quantity allows (no negative sessions, no share above 100 %).
        x: { ...axisRange([...peers, ...own].map((p) => p.x), limitsOf(indicator.unit)), ticks: { maxRotation: 0, callback: (v) => formatValue(Number(v) / factor, indicator.unit) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatValue((item.parsed.x ?? 0) / factor, indicator.unit)}` } },
      },
    },
  };
  const head = [t('table.indicator'), t('table.own'), t('table.n'), t('table.peerMedian'), t('table.rank'), t('table.peers')];
  const rows = [
    [
      cell(t(`indicators.${indicator.code}`), indicator.code),
      cell(formatValue(indicator.value, indicator.unit), indicator.value),
      cell(formatNumber(indicator.n), indicator.n),
      cell(formatValue(indicator.peerMedian, indicator.unit), indicator.peerMedian),
      cell(rank === null ? '–' : `${rank} / ${indicator.peers.length + 1}`, rank),
      cell(indicator.peers.map((v) => formatValue(v, indicator.unit)).join('; '), indicator.peers.join(';')),
    ],
  ];
  const summary = indicator.peersWithheld
    ? t('practice.peersWithheld', { indicator: t(`indicators.${indicator.code}`), own: formatValue(indicator.value, indicator.unit) })
    : t('practice.peerAlt', {
        indicator: t(`indicators.${indicator.code}`),
        own: formatValue(indicator.value, indicator.unit),
        count: indicator.peers.length,
        median: formatValue(indicator.peerMedian, indicator.unit),
      });
  return { config, table: { head, rows }, summary };
}
