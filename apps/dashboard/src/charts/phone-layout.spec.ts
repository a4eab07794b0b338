import type { ChartConfiguration } from 'chart.js';
import { forWidth, PHONE_CHART_WIDTH } from './phone-layout';

const horizontal = (): ChartConfiguration =>
  ({
    type: 'bar',
    data: { labels: ['Nulmeting compleet'], datasets: [{ label: 'Bundel', data: [80] }] },
    options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } } },
  }) as ChartConfiguration;

describe('charts on a phone', () => {
  it('should move a horizontal chart’s category labels above its bars when the chart is narrower than a phone limit', () => {
    const phone = forWidth(horizontal(), 358) as unknown as { options: { scales: { y: { ticks: { display: boolean; autoSkip: boolean } } }; plugins: { categoryLabelsAbove: { enabled: boolean } } }; data: { datasets: { categoryPercentage: number }[] } };
    expect(phone.options.scales.y.ticks).toEqual({ autoSkip: false, display: false });
    expect(phone.options.plugins.categoryLabelsAbove).toEqual({ enabled: true });
    expect(phone.data.datasets[0].categoryPercentage).toBe(0.5);
  });

  it('should leave the chart as it is when it is wide enough or vertical', () => {
    const wide = horizontal();
    expect(forWidth(wide, PHONE_CHART_WIDTH)).toBe(wide);
    const vertical = { ...horizontal(), options: {} } as ChartConfiguration;
    expect(forWidth(vertical, 300)).toBe(vertical);
  });
});
