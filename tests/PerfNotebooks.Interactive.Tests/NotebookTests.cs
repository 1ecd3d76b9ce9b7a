using System.Diagnostics;
using System.Text.Json;
using System.Threading;

namespace PerfNotebooks.Interactive.Tests;

/// The shared notebooks: committed without outputs, on the C# kernel, each with a file-based twin; every #!perf line
/// they contain runs against the library; every twin runs offline with `dotnet run` and writes its figures.
public class NotebookTests : FormatterTestBase
{
    private static readonly string Folder = Path.Combine(Paths.Root, "notebooks");

    public static TheoryData<string> Notebooks() => [.. new[] { "quickstart", "moe-parallelism", "batch-sizing", "capacity-planning" }];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_is_csharp_without_outputs_and_has_a_file_based_twin(string name)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".ipynb")));
        var root = notebook.RootElement;

        Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Contains(cells, c => c.GetProperty("cell_type").GetString() == "markdown");

        // nbformat 4.5: every cell has a unique id of 1 to 64 letters, digits, '-' or '_' (nbformat warns without one
        // and will reject it).
        Assert.True(root.GetProperty("nbformat").GetInt32() == 4 && root.GetProperty("nbformat_minor").GetInt32() >= 5);
        var ids = cells.Select(c => c.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty).ToList();
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{1,64}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(cells.Where(c => c.GetProperty("cell_type").GetString() == "code"), c =>
        {
            Assert.Equal(0, c.GetProperty("outputs").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("execution_count").ValueKind);
        });
        Assert.True(File.Exists(Path.Combine(Folder, name + ".cs")));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_perf_line_in_the_notebook_runs_against_the_library(string name)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".ipynb")));
        var lines = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("source").EnumerateArray().Select(s => s.GetString()!.Trim()))
            .Where(l => l.StartsWith("#!perf ", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var result = PerfMagic.Current.Run(line);
            Assert.NotEqual("help", result.Subcommand);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task File_based_twin_runs_offline_and_writes_its_figures(string name)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("perfnb-notebook-").FullName, name + ".html");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var arg in new[] { "run", name + ".cs", "--", output })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        Assert.Contains("wrote " + output, await stdout, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(output);
        Assert.Contains("Plotly.newPlot('fig-1'", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"perfnb", html, StringComparison.Ordinal);
    }
}
