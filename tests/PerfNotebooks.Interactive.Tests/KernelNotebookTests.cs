using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using PerfNotebooks.Tests;
using CodeAnalysisSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace PerfNotebooks.Interactive.Tests;

/// <summary>
/// Every cell of every notebook in notebooks/, run in the real .NET Interactive kernel in process (wired as the tool
/// wires it), with the package loaded as users load it: the first cell's <c>#r</c>, here pinned to the freshly packed
/// version in its own folder. No cell may fail or produce an error diagnostic; each output's mime types and its
/// normalised HTML are approved snapshots (Approved/Notebooks).
/// </summary>
public partial class KernelNotebookTests
{
    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Paths.Notebooks, "*.ipynb").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Every_cell_runs_in_the_real_kernel_without_error_and_its_outputs_match_the_approved_snapshot(string name)
    {
        var package = await RealKernel.PackageAsync();
        var document = Notebook.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.Notebooks, name + ".ipynb")));
        var cells = document.Elements.Where(e => e.KernelName is "csharp").ToList();
        Assert.Equal("#r \"nuget: PerfNotebooks.Interactive, *-*\"", cells[0].Contents.Trim());

        using var kernel = RealKernel.Create();
        var snapshot = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            // The first cell as shipped, with the version pinned to the package packed for this run and its folder added.
            var code = i == 0
                ? $"#i \"nuget: {package.Folder}\"\n#r \"nuget: PerfNotebooks.Interactive, {package.Version}\""
                : cells[i].Contents;
            var result = await kernel.SubmitCodeAsync(code);

            var failures = result.Events.OfType<CommandFailed>().Select(f => f.Message)
                .Concat(result.Events.OfType<ErrorProduced>().Select(e => e.Message))
                .Concat(result.Events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics)
                    .Where(d => d.Severity == CodeAnalysisSeverity.Error).Select(d => d.ToString()))
                .ToList();
            Assert.True(failures.Count == 0, $"{name} cell {i + 1}:\n{code}\n{string.Join('\n', failures)}");

            snapshot.Append(CultureInfo.InvariantCulture, $"### cell {i + 1}\n{cells[i].Contents.Trim()}\n");
            var outputs = result.Events.OfType<DisplayEvent>().Where(e => e is DisplayedValueProduced or ReturnValueProduced).ToList();
            if (i == 0)
            {
                // Restore progress and the welcome line: their text names temporary folders, so only their count is pinned.
                Assert.Contains(outputs, o => o.FormattedValues.Any(v => v.Value.Contains("<b>PerfNotebooks</b> loaded", StringComparison.Ordinal)));
                continue;
            }

            Assert.NotEmpty(outputs);
            foreach (var output in outputs)
            {
                var mimeTypes = output.FormattedValues.Select(v => v.MimeType).ToList();
                snapshot.Append(CultureInfo.InvariantCulture, $"--- {output.GetType().Name}: {string.Join(", ", mimeTypes)}\n");
                var html = output.FormattedValues.FirstOrDefault(v => v.MimeType == "text/html")?.Value
                           ?? output.FormattedValues.First(v => v.MimeType == "text/plain").Value;
                snapshot.Append(Normalise(html)).Append('\n');
            }
        }

        Directory.CreateDirectory(Path.Combine(Paths.Root, "tests", "PerfNotebooks.Interactive.Tests", "Approved", "Notebooks"));
        Approvals.Verify(snapshot.ToString(), "Notebooks." + name);
    }

    /// <summary>
    /// The HTML with what changes run to run taken out: element ids, the stylesheet every output repeats, scripts
    /// (the plotly figure they draw is the JSON output beside them) and a plan's wall-clock search time.
    /// </summary>
    internal static string Normalise(string html)
    {
        html = IdPattern().Replace(html, "perfnb-ID");
        html = StylePattern().Replace(html, "<style/>");
        html = ScriptPattern().Replace(html, "<script/>");
        html = SearchTimePattern().Replace(html, "simulations, ELAPSED");
        return html;
    }

    [GeneratedRegex("perfnb-[0-9a-f]{12}")]
    private static partial Regex IdPattern();

    [GeneratedRegex("<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StylePattern();

    [GeneratedRegex("<script>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();

    [GeneratedRegex(@"simulations, [0-9.]+ m?s")]
    private static partial Regex SearchTimePattern();
}
