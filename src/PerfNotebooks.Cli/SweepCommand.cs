using System.CommandLine;
using System.Globalization;
using PerfNotebooks.Analysis;
using PerfNotebooks.Rendering;
using PerfNotebooks.Requests;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb sweep</c>: a grid over models, GPUs, layouts, dtypes and batch shapes.</summary>
internal static class SweepCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("sweep", "sweep models × GPUs × layouts × dtypes × batch shapes; the best points, CSV or JSON Lines");
        CliCommands.AddAll(command, CliOptions.Sweep, [CliOptions.Csv, CliOptions.JsonLines, CliOptions.MaxTpotMilliseconds, CliOptions.Top]);
        CliCommands.SetAction(command, Run);
        return command;
    }

    private static int Run(ParseResult parse, Terminal terminal)
    {
        var grid = RequestOptions.ReadSweepGrid(CliOptions.Values(parse));
        if (grid.Models.IsEmpty)
        {
            throw new CliException("perfnb sweep: --model is required (catalog names, Hugging Face ids or paths, comma-separated)");
        }

        // Implementation note: a grid spans many models, GPUs and layouts, so it runs through the sweep's own library
        // entry (Sweep.Run), which PerfModel.Sweep also calls for one model's grid; the core's analysis layer may not use
        // the front door, so each point is built there from the same catalog and resolution PerfModel.Load uses.
        var spec = grid.ToSpec();
        var csv = parse.GetValue(CliOptions.Csv);
        var jsonl = parse.GetValue(CliOptions.JsonLines);
        if (csv is not null)
        {
            using var file = new StreamWriter(csv);
            var count = terminal.WithProgress("sweep", p => Sweep.WriteCsv(spec, file, p is null ? null : new Progress<SweepProgress>(s => p.Report((s.Done, s.Total)))));
            terminal.Line(string.Create(CultureInfo.InvariantCulture, $"wrote {count:N0} points to {csv}"));
        }

        if (jsonl is not null)
        {
            using var file = new StreamWriter(jsonl);
            var count = Sweep.WriteJsonLines(Sweep.Run(spec), file);
            terminal.Line(string.Create(CultureInfo.InvariantCulture, $"wrote {count:N0} points to {jsonl}"));
        }

        if (csv is null && jsonl is null)
        {
            var top = parse.GetValue(CliOptions.Top);
            var rows = Sweep.Run(spec).ToList();
            var best = rows.Where(r => r.Config.Error is null && r.Fits)
                .OrderByDescending(r => r.Batch.DecodeBatch > 0 ? r.OutputTokensPerSecondPerGpu : r.TokensPerSecond / Math.Max(1, r.Gpus))
                .Concat(rows.Where(r => r.Config.Error is not null || !r.Fits))
                .Take((int)Math.Min(top, int.MaxValue)).ToList();
            terminal.Table(Tables.Sweep(best));
            if (rows.Count > best.Count)
            {
                terminal.Line(string.Create(CultureInfo.InvariantCulture,
                    $"the best {best.Count:N0} of {rows.Count:N0} points by {Tables.OutputTokensPerGpu}; use --top N for more, --csv or --jsonl for all"));
            }
        }

        if (parse.GetValue(CliOptions.MaxTpotMilliseconds) is { } ms)
        {
            var limit = ms / 1e3;
            var best = Sweep.Best(Sweep.Run(spec), r => r.Batch.DecodeBatch > 0 && r.TimePerOutputTokenSeconds <= limit, r => r.OutputTokensPerSecondPerGpu);
            terminal.Line(best is { } b
                ? $"best with TPOT <= {Units.Seconds(limit)}: {b.Config.Model} on {b.Gpus} x {b.Config.Gpu} {Tables.Layout(b.Config.Engine)}, " +
                  $"{b.Batch}: {Units.Si(b.OutputTokensPerSecondPerGpu, "tok/s")} per GPU (output), TPOT {Units.Seconds(b.Seconds)}"
                : $"no point meets TPOT <= {Units.Seconds(limit)} and fits in memory");
        }

        return 0;
    }
}
