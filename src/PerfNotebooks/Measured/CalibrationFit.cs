using System.Collections.Immutable;

namespace PerfNotebooks.Measured;

/// <summary>
/// Fits a <see cref="Calibration"/>: per-category scale factors s that make Σ s_c · expected_c + overhead match the
/// measured step times, by least squares on the relative error with a small pull towards 1 (so a category the steps
/// cannot tell apart keeps its shipped time), each factor kept within [0.05, 20].
/// </summary>
public static class CalibrationFit
{
    /// <summary>Lowest and highest factor a fit may give.</summary>
    public const double MinScale = 0.05;

    /// <inheritdoc cref="MinScale"/>
    public const double MaxScale = 20;

    /// <summary>Fits factors to step totals: each step's expected time per category and its measured seconds.</summary>
    /// <exception cref="ArgumentException">No step with a positive measured time.</exception>
    public static Calibration FromSteps(IReadOnlyList<(CategoryEstimate Expected, double MeasuredSeconds)> steps, string gpu, string engine = "", string source = "")
    {
        ArgumentNullException.ThrowIfNull(steps);
        var usable = steps.Where(s => s.MeasuredSeconds > 0 && double.IsFinite(s.MeasuredSeconds) && s.Expected.ExpectedSeconds > 0).ToList();
        if (usable.Count == 0)
        {
            throw new ArgumentException("no measured step with a positive time to fit to");
        }

        var k = KernelClassifier.All.Count;
        var a = new double[k, k];
        var b = new double[k];
        foreach (var (e, m) in usable)
        {
            // Relative residual: (m − overhead − Σ s·e) / m.
            var w = 1.0 / m;
            for (var i = 0; i < k; i++)
            {
                var xi = e.CategorySeconds[i] * w;
                b[i] += xi * ((m - e.OverheadSeconds) * w);
                for (var j = 0; j < k; j++)
                {
                    a[i, j] += xi * e.CategorySeconds[j] * w;
                }
            }
        }

        var used = Enumerable.Range(0, k).Where(i => usable.Any(u => u.Expected.CategorySeconds[i] > 0)).ToList();
        var perCategory = BoundedSolve(a, b, used);

        // Implementation note: categories that move together in every step (a prefill's GEMMs and attention) make the
        // per-category system ill-conditioned; a single factor on every category can never do worse than no factor,
        // so the fit keeps whichever of the three has the smallest error on the steps.
        double num = 0, den = 0;
        foreach (var (e, m) in usable)
        {
            var x = e.CategorySeconds.Sum() / m;
            num += x * ((m - e.OverheadSeconds) / m);
            den += x * x;
        }

        var common = den > 0 ? Math.Clamp(num / den, MinScale, MaxScale) : 1;
        var candidates = new[]
        {
            used.ToDictionary(i => (KernelCategory)i, i => perCategory[i]),
            used.ToDictionary(i => (KernelCategory)i, _ => common),
            used.ToDictionary(i => (KernelCategory)i, _ => 1.0),
        };
        var best = candidates.MinBy(c => Rms(usable, cat => c.TryGetValue(cat, out var f) ? f : 1))!;
        var fitted = ImmutableDictionary.CreateRange(best);
        return new Calibration
        {
            Gpu = gpu,
            Engine = engine,
            Source = source,
            Scales = fitted,
            Steps = usable.Count,
            RmsRelativeErrorBefore = Rms(usable, _ => 1),
            RmsRelativeErrorAfter = Rms(usable, c => fitted.TryGetValue(c, out var f) ? f : 1),
        };
    }

    /// <summary>Fits factors to measured seconds per category (a profiler trace): each factor is measured ÷ expected
    /// over every step.</summary>
    public static Calibration FromCategories(IReadOnlyList<(CategoryEstimate Expected, ImmutableArray<double> MeasuredCategorySeconds)> steps, string gpu, string engine = "", string source = "")
    {
        ArgumentNullException.ThrowIfNull(steps);
        var k = KernelClassifier.All.Count;
        var scales = ImmutableDictionary.CreateBuilder<KernelCategory, double>();
        for (var i = 0; i < k; i++)
        {
            var expected = steps.Sum(s => s.Expected.CategorySeconds[i]);
            var measured = steps.Sum(s => s.MeasuredCategorySeconds[i]);
            if (expected > 0 && measured > 0)
            {
                scales[(KernelCategory)i] = Math.Clamp(measured / expected, MinScale, MaxScale);
            }
        }

        var fitted = scales.ToImmutable();
        var totals = steps.Select(s => (s.Expected, s.MeasuredCategorySeconds.Sum() + s.Expected.OverheadSeconds)).ToList();
        return new Calibration
        {
            Gpu = gpu,
            Engine = engine,
            Source = source,
            Scales = fitted,
            Steps = steps.Count,
            RmsRelativeErrorBefore = Rms(totals, _ => 1),
            RmsRelativeErrorAfter = Rms(totals, c => fitted.TryGetValue(c, out var f) ? f : 1),
        };
    }

    /// <summary>Root-mean-square relative error of Σ scale(c)·expected_c + overhead against the measured seconds.</summary>
    public static double Rms(IReadOnlyList<(CategoryEstimate Expected, double MeasuredSeconds)> steps, Func<KernelCategory, double> scale)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(scale);
        if (steps.Count == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (var (e, m) in steps)
        {
            var predicted = e.OverheadSeconds + KernelClassifier.All.Sum(c => scale(c) * e.Seconds(c));
            var r = (predicted - m) / m;
            sum += r * r;
        }

        return Math.Sqrt(sum / steps.Count);
    }

    // Least squares with each factor kept in [MinScale, MaxScale]: solve, pin the factors that fall outside to their
    // bound, solve again for the rest (an active-set pass; at most one pin per category).
    private static double[] BoundedSolve(double[,] a, double[] b, List<int> used)
    {
        var k = b.Length;
        var trace = used.Sum(i => a[i, i]);
        var ridge = 1e-4 * (trace > 0 ? trace / Math.Max(1, used.Count) : 1);
        var pinned = new Dictionary<int, double>();
        var x = new double[k];
        Array.Fill(x, 1.0);
        for (var round = 0; round <= used.Count; round++)
        {
            var free = used.Where(i => !pinned.ContainsKey(i)).ToList();
            if (free.Count == 0)
            {
                break;
            }

            var m = new double[free.Count, free.Count];
            var r = new double[free.Count];
            for (var p = 0; p < free.Count; p++)
            {
                var i = free[p];
                r[p] = b[i] + ridge - pinned.Sum(f => a[i, f.Key] * f.Value);
                for (var q = 0; q < free.Count; q++)
                {
                    m[p, q] = a[i, free[q]] + (p == q ? ridge : 0);
                }
            }

            var solved = Solve(m, r);
            var violated = false;
            for (var p = 0; p < free.Count; p++)
            {
                var v = double.IsFinite(solved[p]) ? solved[p] : 1;
                x[free[p]] = v;
                if (v < MinScale || v > MaxScale)
                {
                    pinned[free[p]] = Math.Clamp(v, MinScale, MaxScale);
                    violated = true;
                }
            }

            if (!violated)
            {
                break;
            }
        }

        foreach (var (i, v) in pinned)
        {
            x[i] = v;
        }

        return x;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot, col]) < 1e-300)
            {
                continue;
            }

            if (pivot != col)
            {
                for (var c = 0; c < n; c++)
                {
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                }

                (x[col], x[pivot]) = (x[pivot], x[col]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = m[r, col] / m[col, col];
                for (var c = col; c < n; c++)
                {
                    m[r, c] -= f * m[col, c];
                }

                x[r] -= f * x[col];
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => Math.Abs(m[i, i]) < 1e-300 ? 1 : x[i] / m[i, i])];
    }
}
