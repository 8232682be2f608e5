import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Overview } from '@cubby/protocol/api';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

/**
 * Loaners available against devices out, one pair of bars per campus. Loaded
 * on its own (a lazy chunk), so signing in does not wait for ECharts. The
 * same numbers are in the campus tables, for anyone who cannot see the chart.
 */
export default function CampusChart({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const names = overview.campuses.map((c) => c.name);
    chart.current?.setOption(
      {
        animation: false,
        aria: { enabled: true, label: { description: t('overview.chartLabel') } },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { color: '#212529', fontSize: 13 } },
        grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: 'category', data: names, axisLabel: { color: '#343a40', fontSize: 13, interval: 0 } },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#343a40' } },
        series: [
          {
            name: t('counts.loanersAvailable'),
            type: 'bar',
            data: overview.campuses.map((c) => c.totals.loanersAvailable),
            itemStyle: { color: '#2b8a3e' },
            label: { show: true, position: 'top', color: '#212529' },
          },
          {
            name: t('counts.devicesOut'),
            type: 'bar',
            data: overview.campuses.map((c) => c.totals.devicesOut),
            itemStyle: { color: '#1864ab' },
            label: { show: true, position: 'top', color: '#212529' },
          },
        ],
      },
      true,
    );
  }, [overview, t, i18n.language]);

  return <div ref={element} style={{ width: '100%', height: 260 }} data-chart="campuses" />;
}
