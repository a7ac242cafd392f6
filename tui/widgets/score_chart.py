"""A 1-5 score chart drawn with plotext (through textual-plotext's widget) with its legend: the comparable points
(graded like the latest) as dots joined by a line, the points graded by another grader or rubric version as crosses
in another colour, never joined to the line. Imported only by the Progress screen, in a thread, once its data is
loaded: plotext is not on the start-up path."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from interviewer.tui.charts import OTHER_LABEL, Chart

LINE_COLOUR = "cyan"
OTHER_COLOUR = "orange"
OTHER_STYLE = "bold dark_orange"
"""Rich's name for plotext's orange (colour 208)."""
POINT_MARKER = "●"
OTHER_MARKER = "x"


def legend(chart: Chart) -> Text:
    """The legend under a chart (the other-grader entry only when some point is one)."""
    text = Text()
    if chart.comparable:
        text.append(f"{POINT_MARKER}─", style=LINE_COLOUR)
        text.append(f" {chart.label}")
    if chart.other:
        text.append("   " if chart.comparable else "")
        text.append(OTHER_MARKER, style=OTHER_STYLE)
        text.append(f" {OTHER_LABEL}: not comparable, not joined")
    return text


class ScorePlot(PlotextPlot):
    """The plot itself."""

    def __init__(self, chart: Chart, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart = chart
        self.draw(chart)

    def draw(self, chart: Chart) -> None:
        self.chart = chart
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(chart.title)
        plt.ylim(0.5, 5.5)
        plt.yticks([1, 2, 3, 4, 5])
        if chart.comparable:
            xs, ys = (list(v) for v in zip(*chart.comparable, strict=True))
            if len(xs) > 1:
                plt.plot(xs, ys, marker="braille", color=LINE_COLOUR)
            plt.scatter(xs, ys, marker=POINT_MARKER, color=LINE_COLOUR)
        if chart.other:
            xs, ys = (list(v) for v in zip(*chart.other, strict=True))
            plt.scatter(xs, ys, marker=OTHER_MARKER, color=OTHER_COLOUR)
        if chart.ticks:
            plt.xlim(chart.ticks[0][0] - 0.5, chart.ticks[-1][0] + 0.5)
            plt.xticks([n for n, _ in chart.ticks], [label for _, label in chart.ticks])
        self.refresh()


class ScoreChart(Vertical):
    """A chart and its legend; ``show`` replaces the chart."""

    DEFAULT_CSS = """
    ScoreChart { height: auto; }
    ScoreChart > ScorePlot { height: 14; }
    ScoreChart > .chart-legend { height: auto; padding: 0 1; }
    """

    def __init__(self, chart: Chart, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="score-chart")
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield ScorePlot(self.chart)
        yield Static(legend(self.chart), classes="chart-legend")

    def show(self, chart: Chart) -> None:
        self.chart = chart
        self.query_one(ScorePlot).draw(chart)
        self.query_one(".chart-legend", Static).update(legend(chart))
