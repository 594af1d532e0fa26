import { use, init, type ComposeOption } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the console draws is registered, so the echarts chunk stays small.
use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** The chart options the console may pass to {@link EChart}. */
export type TChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export { init };
