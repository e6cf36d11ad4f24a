/** Chart.js with only the pieces the app uses, and the date-fns time adapter. */
import { Chart, Decimation, Filler, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, TimeScale, Tooltip } from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, TimeScale, Filler, Tooltip, Decimation);

Chart.defaults.animation = false;
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui';
Chart.defaults.font.size = 11;

export { Chart };
