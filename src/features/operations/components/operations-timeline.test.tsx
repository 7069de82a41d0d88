import { act, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { burstTimelineFixture } from '../../../mocks/fixtures/timeline-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { usePreferencesStore } from '../../../stores/preferences-store.ts';
import { renderApp } from '../../../test/render.tsx';

/*
 * The fixture: four half-hour bars from 14:00 UTC, 2 March 2026 — 15 operations, none, 1, and a
 * burst of 100. Times are shown in UTC so the names read the same in every time zone.
 */
const names = [
  'Mar 2, 14:00–14:30 UTC: 12 succeeded, 3 failed, 0 pending',
  'Mar 2, 14:30–15:00 UTC: 0 succeeded, 0 failed, 0 pending',
  'Mar 2, 15:00–15:30 UTC: 1 succeeded, 0 failed, 0 pending',
  'Mar 2, 15:30–16:00 UTC: 100 succeeded, 0 failed, 0 pending',
];

/*
 * jsdom lays nothing out. Give the plot a 400 px wide box at the left of the viewport, so each of
 * the four bars is 100 px: bar n spans clientX 100·n to 100·(n+1).
 */
const PLOT_WIDTH = 400;
const xOf = (bar: number) => bar * 100 + 50;

beforeAll(async () => {
  // The route loads its page lazily; load it once here so no test spends its wait on the first import.
  await import('./operations-page.tsx');
});

beforeEach(() => {
  usePreferencesStore.setState({ timeDisplay: 'utc' });
  server.use(http.get('/api/operations/timeline', () => HttpResponse.json(burstTimelineFixture)));
});

async function renderChart(route = '/operations') {
  const rendered = renderApp({ route });
  const chart = await screen.findByRole('listbox', { name: /^operations created/i });
  await within(chart).findByRole('option', { name: names[0] });
  vi.spyOn(chart, 'getBoundingClientRect').mockReturnValue({
    x: 0,
    y: 0,
    left: 0,
    top: 0,
    width: PLOT_WIDTH,
    height: 112,
    right: PLOT_WIDTH,
    bottom: 112,
    toJSON: () => ({}),
  });
  const bars = within(chart).getAllByRole('option');
  return { ...rendered, chart, bars };
}

/** The address bar's query, as a person would read it. */
function addressParams(router: { state: { location: { href: string } } }): URLSearchParams {
  return new URL(router.state.location.href, 'http://localhost').searchParams;
}

function shownRange(router: { state: { location: { href: string } } }) {
  const params = addressParams(router);
  return { range: params.get('range'), from: params.get('from'), to: params.get('to') };
}

/** How tall a bar is drawn, as a percentage of the plot: its stacked segments added up. */
function drawnHeight(bar: HTMLElement): number {
  return [...bar.querySelectorAll<HTMLElement>('[style]')].reduce((total, segment) => total + Number.parseFloat(segment.style.height), 0);
}

function selectedBars(bars: HTMLElement[]): number[] {
  return bars.flatMap((bar, index) => (bar.getAttribute('aria-selected') === 'true' ? [index] : []));
}

describe('Operations timeline', () => {
  it('names every bar in words with its exact counts, also as its tooltip', async () => {
    const { bars } = await renderChart();

    expect(bars.map((bar) => bar.getAttribute('aria-selected'))).toEqual(['false', 'false', 'false', 'false']);
    for (const [index, name] of names.entries()) {
      expect(bars[index]).toHaveAccessibleName(name);
      expect(bars[index]).toHaveAttribute('title', name);
    }
  });

  it('keeps a small bar readable next to a burst, and says the scale is the square root', async () => {
    const { bars } = await renderChart();

    expect(screen.getByText('Bar height: square root of the count')).toBeVisible();
    // 1 beside 100: a tenth of the burst's height (a linear scale would leave a hundredth).
    expect(drawnHeight(bars[2]!) / drawnHeight(bars[3]!)).toBeCloseTo(0.1, 5);
    expect(drawnHeight(bars[3]!)).toBeCloseTo(100, 5);
    expect(drawnHeight(bars[1]!)).toBe(0);
  });

  it('shows only the bucket of a bar that is pressed', async () => {
    const { user, router, bars } = await renderChart();

    await user.pointer({ keys: '[MouseLeft]', target: bars[0]!, coords: { clientX: xOf(0) } });

    expect(shownRange(router)).toEqual({ range: 'custom', from: '2026-03-02T14:00:00.000Z', to: '2026-03-02T14:30:00.000Z' });
    expect(await screen.findByRole('listbox', { name: 'Operations created, custom range, by status' })).toBeInTheDocument();
  });

  it('sets the range to the bars dragged across, showing the selection while dragging', async () => {
    const { user, router, bars } = await renderChart();

    await user.pointer([
      { keys: '[MouseLeft>]', target: bars[3]!, coords: { clientX: xOf(3) } },
      { target: bars[2]!, coords: { clientX: xOf(2) } },
      { target: bars[1]!, coords: { clientX: xOf(1) } },
    ]);
    expect(selectedBars(bars)).toEqual([1, 2, 3]);
    expect(screen.getByText('Mar 2, 14:30–16:00 UTC selected · release to show it')).toBeVisible();
    expect(addressParams(router).get('range')).toBeNull();

    await user.pointer({ keys: '[/MouseLeft]', target: bars[1]!, coords: { clientX: xOf(1) } });
    expect(shownRange(router)).toEqual({ range: 'custom', from: '2026-03-02T14:30:00.000Z', to: '2026-03-02T16:00:00.000Z' });
    expect(selectedBars(bars)).toEqual([]);
  });

  it('cancels a drag on Escape', async () => {
    const { user, router, bars } = await renderChart('/operations?range=7d');

    await user.pointer([
      { keys: '[MouseLeft>]', target: bars[0]!, coords: { clientX: xOf(0) } },
      { target: bars[2]!, coords: { clientX: xOf(2) } },
    ]);
    expect(selectedBars(bars)).toEqual([0, 1, 2]);
    await user.keyboard('{Escape}');
    expect(selectedBars(bars)).toEqual([]);
    await user.pointer({ keys: '[/MouseLeft]', target: bars[2]!, coords: { clientX: xOf(2) } });

    expect(shownRange(router)).toEqual({ range: '7d', from: null, to: null });
  });

  it('is one tab stop whose arrows move between bars, Enter showing the bar', async () => {
    const { user, router, bars } = await renderChart();
    // Tab stops before the chart are the page's other controls; start on the chart's own.
    const [tabStop, ...others] = [...bars].sort((a, b) => b.tabIndex - a.tabIndex);
    expect(tabStop).toBe(bars[3]);
    expect(others.every((bar) => bar.tabIndex === -1)).toBe(true);
    act(() => tabStop!.focus());

    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(bars[1]).toHaveFocus();
    expect(bars[1]).toHaveAccessibleName(names[1]);
    await user.keyboard('{Enter}');

    expect(shownRange(router)).toEqual({ range: 'custom', from: '2026-03-02T14:30:00.000Z', to: '2026-03-02T15:00:00.000Z' });
    expect(bars[1]).toHaveFocus();
    // Tab leaves the chart; Shift+Tab comes back to the bar last focused.
    await user.tab();
    expect(bars.some((bar) => bar === document.activeElement)).toBe(false);
    await user.tab({ shift: true });
    expect(bars[1]).toHaveFocus();
  });

  it('extends a selection with Shift+arrows, Enter applying it and Escape dropping it', async () => {
    const { user, router, bars } = await renderChart();
    act(() => bars[3]!.focus());

    await user.keyboard('{Shift>}{ArrowLeft}{ArrowLeft}{/Shift}');
    expect(selectedBars(bars)).toEqual([1, 2, 3]);
    expect(screen.getByText('Mar 2, 14:30–16:00 UTC selected · Enter shows it, Esc cancels')).toBeVisible();
    await user.keyboard('{Escape}');
    expect(selectedBars(bars)).toEqual([]);
    expect(addressParams(router).get('range')).toBeNull();

    expect(bars[1]).toHaveFocus();

    await user.keyboard('{ArrowRight}{Shift>}{ArrowLeft}{ArrowLeft}{/Shift}{Enter}');
    expect(shownRange(router)).toEqual({ range: 'custom', from: '2026-03-02T14:00:00.000Z', to: '2026-03-02T15:30:00.000Z' });
  });
});
