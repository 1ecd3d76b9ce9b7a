using Spectre.Console;
using Spectre.Console.Rendering;
using PerfNotebooks.Rendering;

namespace PerfNotebooks.Cli;

/// <summary>
/// Where a command writes: a Spectre.Console console with colour and live progress on a terminal, plain text (no
/// colour, no carriage-return progress, lines trimmed) when the output is redirected or captured.
/// </summary>
internal sealed class Terminal
{
    private readonly IAnsiConsole? _live;

    private Terminal(TextWriter output, TextWriter error, bool plain)
    {
        Output = output;
        Error = error;
        IsPlain = plain;
        if (!plain)
        {
            _live = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        }
    }

    /// <summary>Standard output, for JSON and plain lines.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether output is plain text (redirected, captured, or <c>NO_COLOR</c> set).</summary>
    public bool IsPlain { get; }

    /// <summary>A terminal over <paramref name="output"/>: live only when it is the console's own, not redirected, and colour is allowed.</summary>
    public static Terminal For(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
                   string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new Terminal(output, error, !live);
    }

    /// <summary>Writes a line.</summary>
    public void Line(string text = "") => Output.Write(text + "\n");

    /// <summary>Writes a table (and its notes) drawn from the table model.</summary>
    public void Table(TableModel table, bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rendered = SpectreTable(table, exact);
        if (_live is not null)
        {
            _live.Write(rendered);
        }
        else
        {
            Output.Write(Plain(rendered));
        }

        foreach (var note in table.Notes)
        {
            Line(note);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a live progress bar on a terminal; when plain, with no progress output at all
    /// (a redirected log gets no carriage-return updates).
    /// </summary>
    public T WithProgress<T>(string description, Func<IProgress<(long Done, long Total)>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_live is null)
        {
            return work(null);
        }

        var result = default(T);
        _live.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(description);
            result = work(new Progress<(long Done, long Total)>(p =>
            {
                task.MaxValue = p.Total;
                task.Value = p.Done;
            }));
        });
        return result!;
    }

    /// <summary>The Spectre.Console table for a table model: numbers right-aligned, subtotals and totals bold, problems red.</summary>
    public static Table SpectreTable(TableModel model, bool exact)
    {
        ArgumentNullException.ThrowIfNull(model);
        var widths = model.Columns.Select(c => c.Header.Length).ToArray();
        foreach (var row in model.DataRows)
        {
            for (var i = 0; i < Math.Min(widths.Length, row.Cells.Length); i++)
            {
                widths[i] = Math.Max(widths[i], row.Cells[i].Show(exact).Length);
            }
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in model.Columns)
        {
            var header = new Spectre.Console.TableColumn(new Text(column.Header, new Style(decoration: Decoration.Bold)));
            table.AddColumn(column.Numeric ? header.RightAligned() : header);
        }

        foreach (var row in model.Rows)
        {
            if (row.Kind == TableRowKind.Rule)
            {
                table.AddRow([.. widths.Select(w => new Text(new string('─', w), new Style(Color.Grey)))]);
                continue;
            }

            var style = row.Kind switch
            {
                TableRowKind.Subtotal or TableRowKind.Total => new Style(decoration: Decoration.Bold),
                TableRowKind.Problem => new Style(Color.Red),
                _ => Style.Plain,
            };
            table.AddRow([.. Enumerable.Range(0, widths.Length).Select(i => (IRenderable)new Text(i < row.Cells.Length ? row.Cells[i].Show(exact) : string.Empty, style))]);
        }

        return table;
    }

    /// <summary>A renderable as plain text: no colour, wide enough never to wrap, trailing spaces trimmed.</summary>
    public static string Plain(IRenderable renderable)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 1000;
        console.Write(renderable);
        var lines = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        // Spectre's simple border indents every line by its edge and pads the header rule by the same: plain text starts at the margin.
        return string.Join('\n', lines.Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l.StartsWith("──", StringComparison.Ordinal) ? l[2..^2] : l)) + "\n";
    }
}
