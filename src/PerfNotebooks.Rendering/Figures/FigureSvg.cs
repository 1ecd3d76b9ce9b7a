using System.Globalization;
using System.Net;
using System.Text;

namespace PerfNotebooks.Rendering.Figures;

/// <summary>
/// Draws a <see cref="Figure"/> as a static inline SVG (bars, lines and markers, heatmaps, shapes, axes, legend): what
/// a reader sees where no script runs (an nbconvert HTML export, a static notebook viewer, an emailed file). Where
/// plotly.js is present the page replaces it with the interactive figure drawn from the same model.
/// </summary>
public static class FigureSvg
{
    private const double Width = 760;
    private const double Left = 80;
    private const double Right = 190;
    private const double Top = 36;
    private const double Bottom = 56;
    private static readonly string[] Fallback = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>The figure as an <c>&lt;svg&gt;</c> element (no script, no external resource).</summary>
    public static string Render(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var height = (double)figure.Layout.Height;
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var svg = new StringBuilder();
        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<svg class=\"perfnb-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"{Encode(figure.Layout.Title)}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#fff\"/>"));
        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{Encode(figure.Layout.Title)}</text>"));

        var traces = figure.Traces;
        var heatmap = traces.OfType<HeatmapTrace>().FirstOrDefault();
        var categories = traces.SelectMany(t => t.XLabels.IsDefault ? [] : t.XLabels).Distinct().ToList();
        var stacked = figure.Layout.BarMode is "stack" or "relative";
        var bars = traces.OfType<BarTrace>().ToList();

        // Y range: stacked bar totals, or every point; shapes included.
        var ys = new List<double>();
        if (bars.Count > 0)
        {
            ys.Add(0);
            ys.AddRange(stacked
                ? categories.Select(c => bars.Sum(b => ValueAt(b, c)))
                : bars.SelectMany(b => b.Y.IsDefault ? [] : b.Y));
        }

        ys.AddRange(traces.OfType<ScatterTrace>().SelectMany(t => t.Y.IsDefault ? [] : t.Y));
        ys.AddRange(figure.Layout.Shapes.SelectMany(s => new[] { s.Y0, s.Y1 }));
        var xs = traces.OfType<ScatterTrace>().SelectMany(t => t.X.IsDefault ? [] : t.X).Concat(figure.Layout.Shapes.SelectMany(s => new[] { s.X0, s.X1 })).ToList();
        var xScale = new Scale(xs, figure.Layout.XAxis.Log, Left, Left + plotWidth);
        var yScale = new Scale(ys, figure.Layout.YAxis.Log, Top + plotHeight, Top);

        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/>"));
        if (heatmap is not null)
        {
            DrawHeatmap(svg, heatmap, plotWidth, plotHeight);
        }
        else
        {
            if (categories.Count == 0)
            {
                Ticks(svg, xScale, horizontal: true, plotHeight);
            }

            Ticks(svg, yScale, horizontal: false, plotHeight);
        }

        if (bars.Count > 0 && categories.Count > 0)
        {
            var band = plotWidth / categories.Count;
            for (var c = 0; c < categories.Count; c++)
            {
                var x = Left + (c * band);
                svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x + (band / 2)}\" y=\"{Top + plotHeight + 14}\" text-anchor=\"middle\">{Encode(categories[c])}</text>"));
                var baseValue = 0.0;
                for (var b = 0; b < bars.Count; b++)
                {
                    var value = ValueAt(bars[b], categories[c]);
                    if (value == 0)
                    {
                        continue;
                    }

                    var (x0, width) = stacked ? (x + (band * 0.15), band * 0.7) : (x + (band * 0.1) + (band * 0.8 * b / bars.Count), band * 0.8 / bars.Count);
                    var y0 = yScale.Map(stacked ? baseValue : 0);
                    var y1 = yScale.Map(stacked ? baseValue + value : value);
                    svg.Append(string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{x0:F1}\" y=\"{Math.Min(y0, y1):F1}\" width=\"{width:F1}\" height=\"{Math.Abs(y0 - y1):F1}\" fill=\"{Color(bars[b], b)}\"><title>{Encode(bars[b].Name)}: {value:G4}</title></rect>"));
                    baseValue += stacked ? value : 0;
                }
            }
        }

        foreach (var shape in figure.Layout.Shapes)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{xScale.Map(shape.X0):F1}\" y1=\"{yScale.Map(shape.Y0):F1}\" x2=\"{xScale.Map(shape.X1):F1}\" y2=\"{yScale.Map(shape.Y1):F1}\" stroke=\"{Encode(shape.Color)}\"{(shape.Dash is null ? string.Empty : " stroke-dasharray=\"4 3\"")}/>"));
        }

        var index = 0;
        foreach (var trace in traces.OfType<ScatterTrace>())
        {
            var color = Color(trace, bars.Count + index++);
            var points = trace.X.IsDefault || trace.Y.IsDefault
                ? []
                : trace.X.Zip(trace.Y).Where(p => xScale.Plottable(p.First) && yScale.Plottable(p.Second)).Select(p => (X: xScale.Map(p.First), Y: yScale.Map(p.Second))).ToList();
            if (trace.Mode.Contains("lines", StringComparison.Ordinal) && points.Count > 1)
            {
                svg.Append(string.Create(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(trace.Dash is null ? string.Empty : " stroke-dasharray=\"5 3\"")} points=\"{string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:F1},{p.Y:F1}")))}\"/>"));
            }

            if (trace.Mode.Contains("markers", StringComparison.Ordinal) || points.Count == 1)
            {
                foreach (var p in points)
                {
                    svg.Append(string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{p.X:F1}\" cy=\"{p.Y:F1}\" r=\"{Math.Max(2, trace.MarkerSize / 2):F1}\" fill=\"{color}\"><title>{Encode(trace.Name)}</title></circle>"));
                }
            }
        }

        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{height - 12}\" text-anchor=\"middle\">{Encode(figure.Layout.XAxis.Title)}</text>"));
        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {Top + (plotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Encode(figure.Layout.YAxis.Title)}</text>"));
        Legend(svg, traces, bars.Count);
        return svg.Append("</svg>").ToString();
    }

    private static void DrawHeatmap(StringBuilder svg, HeatmapTrace trace, double plotWidth, double plotHeight)
    {
        var xLabels = trace.XLabels.IsDefault ? [] : trace.XLabels;
        var yLabels = trace.YLabels.IsDefault ? [] : trace.YLabels;
        if (trace.Z.IsDefaultOrEmpty || xLabels.Length == 0 || yLabels.Length == 0)
        {
            return;
        }

        var values = trace.Z.SelectMany(r => r).Where(double.IsFinite).ToList();
        var (min, max) = values.Count == 0 ? (0.0, 1.0) : (values.Min(), values.Max());
        var (w, h) = (plotWidth / xLabels.Length, plotHeight / yLabels.Length);
        for (var y = 0; y < Math.Min(yLabels.Length, trace.Z.Length); y++)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + plotHeight - ((y + 0.5) * h) + 4:F1}\" text-anchor=\"end\">{Encode(yLabels[y])}</text>"));
            for (var x = 0; x < Math.Min(xLabels.Length, trace.Z[y].Length); x++)
            {
                var z = trace.Z[y][x];
                if (!double.IsFinite(z))
                {
                    continue;
                }

                var t = max > min ? (z - min) / (max - min) : 0.5;
                svg.Append(string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{Left + (x * w):F1}\" y=\"{Top + plotHeight - ((y + 1) * h):F1}\" width=\"{w:F1}\" height=\"{h:F1}\" fill=\"rgb({(int)(255 - (t * 200))},{(int)(255 - (t * 120))},{(int)(255 - (t * 40))})\"><title>{z:G4}</title></rect>"));
            }
        }

        for (var x = 0; x < xLabels.Length; x++)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Left + ((x + 0.5) * w):F1}\" y=\"{Top + plotHeight + 14}\" text-anchor=\"middle\">{Encode(xLabels[x])}</text>"));
        }

        svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth + 10}\" y=\"{Top + 10}\">{Encode(trace.ColorBarTitle)}: {min:G3} (light) to {max:G3} (dark)</text>"));
    }

    private static void Ticks(StringBuilder svg, Scale scale, bool horizontal, double plotHeight)
    {
        foreach (var value in scale.Ticks())
        {
            var at = scale.Map(value);
            var label = Encode(Units.Significant(value));
            svg.Append(horizontal
                ? string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{at:F1}\" y1=\"{Top}\" x2=\"{at:F1}\" y2=\"{Top + plotHeight}\" stroke=\"#e4e4e4\"/><text x=\"{at:F1}\" y=\"{Top + plotHeight + 14}\" text-anchor=\"middle\">{label}</text>")
                : string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{at:F1}\" x2=\"{Width - Right}\" y2=\"{at:F1}\" stroke=\"#e4e4e4\"/><text x=\"{Left - 4}\" y=\"{at + 4:F1}\" text-anchor=\"end\">{label}</text>"));
        }
    }

    private static void Legend(StringBuilder svg, IEnumerable<Trace> traces, int barCount)
    {
        var y = Top + 24.0;
        var index = 0;
        var scatterIndex = barCount;
        foreach (var trace in traces.Where(t => t is not HeatmapTrace))
        {
            var color = trace is ScatterTrace ? Color(trace, scatterIndex++) : Color(trace, index++);
            if (!trace.ShowLegend || y > Top + 380)
            {
                continue;
            }

            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 10}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{Width - Right + 24}\" y=\"{y}\">{Encode(trace.Name)}</text>"));
            y += 15;
        }
    }

    private static double ValueAt(Trace trace, string category)
    {
        if (trace.XLabels.IsDefault || trace.Y.IsDefault)
        {
            return 0;
        }

        var i = trace.XLabels.IndexOf(category);
        return i >= 0 && i < trace.Y.Length ? trace.Y[i] : 0;
    }

    private static string Color(Trace trace, int index) => Encode(trace.Color ?? Fallback[index % Fallback.Length]);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A linear or log axis from data to pixels.</summary>
    private readonly struct Scale
    {
        private readonly bool _log;
        private readonly double _min;
        private readonly double _max;
        private readonly double _from;
        private readonly double _to;

        public Scale(IEnumerable<double> values, bool log, double from, double to)
        {
            var usable = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToList();
            (_log, _from, _to) = (log, from, to);
            (_min, _max) = usable.Count == 0 ? (log ? 1 : 0, log ? 10 : 1) : (usable.Min(), usable.Max());
            if (_log)
            {
                (_min, _max) = (Math.Floor(Math.Log10(_min)), Math.Ceiling(Math.Log10(_max)));
            }

            if (_max <= _min)
            {
                _max = _min + 1;
            }
        }

        public bool Plottable(double value) => double.IsFinite(value) && (!_log || value > 0);

        public double Map(double value)
        {
            var v = _log ? Math.Log10(Math.Max(value, 1e-300)) : value;
            return _from + ((v - _min) / (_max - _min) * (_to - _from));
        }

        public IEnumerable<double> Ticks()
        {
            if (_log)
            {
                var step = Math.Max(1, Math.Ceiling((_max - _min) / 8));
                for (var e = _min; e <= _max; e += step)
                {
                    yield return Math.Pow(10, e);
                }

                yield break;
            }

            for (var i = 0; i <= 4; i++)
            {
                yield return _min + ((_max - _min) * i / 4);
            }
        }
    }
}
