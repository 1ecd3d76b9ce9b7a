using System.Globalization;
using System.Text;
using PerfNotebooks.Hardware;
using PerfNotebooks.Physical;
using PerfNotebooks.Physical.Kernels;

namespace PerfNotebooks.Tests.Kernels;

/// Interpolation error on the held-out fifth of AIConfigurator's rows: tables indexed on the training rows, each held-out
/// row estimated by the measured timer (and by the fitted curves alone), |estimate / measured − 1|.
public static class HeldOutReport
{
    public static readonly (string Catalog, string Aic)[] Gpus =
        [("A100-80GB", "a100_sxm"), ("H100-SXM", "h100_sxm"), ("H200", "h200_sxm"), ("B200", "b200_sxm"), ("L40S", "l40s")];

    public sealed record Row(string Gpu, string Family, int Rows, double MeasuredShare, double Median, double P90, double FittedMedian, double FittedP90);

    private static readonly Lazy<IReadOnlyList<Row>> Cached = new(Compute);

    public static IReadOnlyList<Row> Rows => Cached.Value;

    public static string Family(string table) => table.Split('.')[0];

    private static List<Row> Compute()
    {
        var rows = new List<Row>();
        foreach (var (catalog, aic) in Gpus)
        {
            var fitted = new FittedKernelTimer(GpuCatalog.Find(catalog));
            var timer = new MeasuredKernelTimer(KernelTables.Load(Paths.SiliconSystems, aic, KernelRowSplit.Training), fitted);
            var heldOut = KernelTables.Load(Paths.SiliconSystems, aic, KernelRowSplit.HeldOut);
            foreach (var family in heldOut.Samples.GroupBy(s => Family(s.Table)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var estimates = family.Select(s => (Sample: s, Time: s.Estimate(timer), Fit: s.Estimate(fitted).Seconds)).ToArray();
                double[] errors = [.. estimates.Select(e => Math.Abs((e.Time.Seconds / e.Sample.Seconds) - 1)).Order()];
                double[] fitErrors = [.. estimates.Select(e => Math.Abs((e.Fit / e.Sample.Seconds) - 1)).Order()];
                rows.Add(new(catalog, family.Key, errors.Length,
                    estimates.Count(e => e.Time.Source == KernelTimeSource.Measured) / (double)errors.Length,
                    Quantile(errors, 0.5), Quantile(errors, 0.9), Quantile(fitErrors, 0.5), Quantile(fitErrors, 0.9)));
            }
        }

        return rows;
    }

    public static double Quantile(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];

    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| GPU | table | held-out rows | measured share | median \\|err\\| | p90 \\|err\\| | fitted only: median | fitted only: p90 |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in Rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Gpu} | {r.Family} | {r.Rows:N0} | {r.MeasuredShare:P0} | {r.Median:P1} | {r.P90:P1} | {r.FittedMedian:P1} | {r.FittedP90:P1} |"));
        }

        return sb.ToString();
    }
}
