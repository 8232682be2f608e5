import { useTranslation } from 'react-i18next';
import type { Overview } from '@cubby/protocol/api';

export const chartHeight = 260;
const available = '#2b8a3e';
const out = '#1864ab';

/**
 * The campus chart drawn at once, in the chart's own layout (legend, a pair of
 * bars per campus with their numbers, campus names below), while ECharts'
 * chunk loads: the numbers are on screen from the first frame, never a grey box.
 */
export function CampusChartPreview({ overview }: { overview: Overview }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...overview.campuses.flatMap((c) => [c.totals.loanersAvailable, c.totals.devicesOut]));
  const bar = (value: number, color: string) => (
    <div className="chart-preview-bar">
      <span>{value}</span>
      <div style={{ height: `${(value / max) * 100}%`, background: color }} />
    </div>
  );
  return (
    <div
      className="chart-preview"
      style={{ height: chartHeight }}
      role="img"
      aria-label={t('overview.chartLabel')}
      data-chart-preview
    >
      <div className="chart-preview-legend" aria-hidden="true">
        <span>
          <i style={{ background: available }} />
          {t('counts.loanersAvailable')}
        </span>
        <span>
          <i style={{ background: out }} />
          {t('counts.devicesOut')}
        </span>
      </div>
      <div className="chart-preview-plot" aria-hidden="true">
        {overview.campuses.map((c) => (
          <div key={c.id} className="chart-preview-campus">
            <div className="chart-preview-bars">
              {bar(c.totals.loanersAvailable, available)}
              {bar(c.totals.devicesOut, out)}
            </div>
            <div className="chart-preview-name">{c.name}</div>
          </div>
        ))}
      </div>
    </div>
  );
}
