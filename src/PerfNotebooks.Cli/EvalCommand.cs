using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;
using PerfNotebooks.Interop;

namespace PerfNotebooks.Cli;

/// <summary><c>perfnb eval</c>: the bulk JSON Lines entry point for tools and scripts.</summary>
public sealed class EvalCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "eval";

    /// <inheritdoc />
    public string Summary => "evaluate JSON Lines in any golden format (cases, steps, engine settings, profiler configs)";

    /// <inheritdoc />
    public string Usage => "perfnb eval --cases FILE [--configs DIR] [--vllm 2025-12|2026-09|latest] [-o FILE]";

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("cases", "FILE", "input JSON Lines ('-' for standard input)"),
        new("configs", "DIR", "folder the lines' \"config\" names resolve in (default: the catalog)"),
        new("vllm", "REVISION", $"vLLM revision to reproduce: 2025-12, 2026-09 or latest (default {VllmRevision.Default})"),
        new("output", "FILE", "write results here instead of standard output", Alias: 'o'),
    ];

    /// <inheritdoc />
    public int Run(ParsedOptions options, TextWriter output)
    {
        options.RequirePositionals(0, Usage);
        var cases = options.Value("cases") ?? throw new CliException($"perfnb eval: --cases FILE is required; usage: {Usage}");
        var configs = options.Value("configs");
        if (configs is not null && !Directory.Exists(configs))
        {
            throw new CliException($"perfnb eval: --configs '{configs}' is not a folder");
        }

        if (cases != "-" && !File.Exists(cases))
        {
            throw new CliException($"perfnb eval: --cases '{cases}' does not exist");
        }

        var revision = VllmRevision.Default;
        if (options.Value("vllm") is { } vllm && !VllmRevision.TryParse(vllm, out revision))
        {
            throw new CliException($"perfnb eval: --vllm '{vllm}' is not a vLLM revision; use 2025-12, 2026-09 or latest");
        }

        var evaluator = new LineEvaluator(name => Load(configs, name), revision);
        using var input = cases == "-" ? Console.In : new StreamReader(cases);
        using var file = options.Value("output") is { } path ? new StreamWriter(path) : null;
        var writer = file ?? output;
        while (input.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
            {
                writer.Write(evaluator.Evaluate(line));
                writer.Write('\n');
            }
        }

        return 0;
    }

    private static HfConfig Load(string? folder, string name)
    {
        if (folder is not null)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path) || Directory.Exists(path))
            {
                return HfConfig.Load(path);
            }
        }

        if (File.Exists(name) || Directory.Exists(name))
        {
            return HfConfig.Load(name);
        }

        var bare = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
        return ModelCatalog.TryFind(bare, out var model) ? model.Load() : ModelCatalog.Find(name).Load();
    }
}
