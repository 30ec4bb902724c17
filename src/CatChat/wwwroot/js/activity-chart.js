// The activity chart: users online and chat lines per second over a sliding window, drawn by uPlot
// (vendor/uplot, loaded before this module). Lines per second come from successive stats events.
// The window grows with the readings the page has seen, up to WINDOW_SECONDS; the legend shows the
// latest values, or those under the pointer.

const WINDOW_SECONDS = 5 * 60;
const MIN_WINDOW_SECONDS = 10;
const USER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A legend formatter: the value under the pointer, or the latest one when the pointer is elsewhere. */
function legendValue(format) {
    return (plot, value, seriesIndex, index) => {
        const shown = index == null ? plot.data[seriesIndex].at(-1) : value;
        return shown === null || shown === undefined ? '–' : format(shown);
    };
}

export class ActivityChart {
    #container;
    #plot = null;
    #times = [];
    #users = [];
    #rates = [];
    #previous = null;

    constructor(container) {
        this.#container = container;
        new ResizeObserver(() => this.#resize()).observe(container);
    }

    /**
     * Adds one stats event ({time, users, linesReceived}) and returns the lines per second since the
     * previous one, or null when there is no previous one to compare with.
     */
    add(stats) {
        const seconds = Date.parse(stats.time) / 1000;
        let rate = null;
        if (this.#previous && seconds > this.#previous.seconds && stats.linesReceived >= this.#previous.linesReceived) {
            rate = (stats.linesReceived - this.#previous.linesReceived) / (seconds - this.#previous.seconds);
        }
        this.#previous = { seconds, linesReceived: stats.linesReceived };

        this.#times.push(seconds);
        this.#users.push(stats.users);
        this.#rates.push(rate);
        while (this.#times.length > 0 && this.#times[0] < seconds - WINDOW_SECONDS) {
            this.#times.shift();
            this.#users.shift();
            this.#rates.shift();
        }

        this.#draw();
        return rate;
    }

    /** Forgets the last counter reading, so a gap (a reconnect) is not shown as a burst. */
    breakLine() {
        this.#previous = null;
    }

    clear() {
        this.#times = [];
        this.#users = [];
        this.#rates = [];
        this.#previous = null;
        this.#plot?.destroy();
        this.#plot = null;
        this.#container.dataset.points = '0';
    }

    #draw() {
        this.#container.dataset.points = String(this.#times.length);
        const data = [this.#times, this.#users, this.#rates];
        if (this.#plot) {
            this.#plot.setData(data);
        } else if (this.#times.length >= 2 && this.#container.clientWidth > 0) {
            // From two readings on: with one, the time axis has no span to draw.
            this.#plot = new window.uPlot(this.#options(), data, this.#container);
        }
    }

    #resize() {
        if (this.#container.clientWidth === 0) {
            return; // Hidden (signed out): keep the old size until the chart is shown again.
        }
        if (this.#plot) {
            this.#plot.setSize(this.#size());
        } else {
            this.#draw();
        }
    }

    #size() {
        const width = this.#container.clientWidth;
        return { width, height: width < 500 ? 200 : 260 };
    }

    #options() {
        // Colours come from the style sheet, so the chart follows the light or dark theme.
        const style = getComputedStyle(document.documentElement);
        const color = (name) => style.getPropertyValue(name).trim();
        const text = color('--text-muted');
        const grid = color('--border');
        const usersColor = color('--chart-users');
        const rateColor = color('--chart-rate');

        return {
            ...this.#size(),
            cursor: { drag: { x: false, y: false } },
            scales: {
                x: {
                    time: true,
                    range: (_, min, max) => [Math.max(max - WINDOW_SECONDS, Math.min(min, max - MIN_WINDOW_SECONDS)), max],
                },
                users: { range: (_, __, max) => [0, Math.max(4, Math.ceil((max ?? 0) * 1.25))] },
                rate: { range: (_, __, max) => [0, Math.max(1, (max ?? 0) * 1.25)] },
            },
            series: [
                { label: 'Time', value: legendValue((t) => timeOfDay.format(new Date(t * 1000))) },
                {
                    label: 'Users online',
                    scale: 'users',
                    stroke: usersColor,
                    width: 2,
                    value: legendValue(String),
                },
                {
                    label: 'Lines/s',
                    scale: 'rate',
                    stroke: rateColor,
                    fill: color('--chart-rate-fill'),
                    width: 1.5,
                    value: legendValue((v) => v.toFixed(1)),
                },
            ],
            axes: [
                { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
                { scale: 'users', stroke: usersColor, incrs: USER_STEPS, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
                { scale: 'rate', side: 1, stroke: rateColor, grid: { show: false }, ticks: { stroke: grid } },
            ],
        };
    }
}
