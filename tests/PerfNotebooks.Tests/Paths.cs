namespace PerfNotebooks.Tests;

/// Where the repository, its bundled configs and the shared golden files are.
public static class Paths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Golden { get; } =
        Environment.GetEnvironmentVariable("PERFNB_GOLDEN") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "golden"));

    /// AIConfigurator's measured kernel tables (PERFNB_SILICON overrides ../shared/silicon); its systems folder.
    public static string SiliconSystems { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("PERFNB_SILICON") is { Length: > 0 } silicon
            ? silicon
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "silicon")),
        "aiconfigurator");

    public static string GoldenConfigs => Path.Combine(Golden, "configs");

    public static string GoldenLatest { get; } =
        Environment.GetEnvironmentVariable("PERFNB_GOLDEN_LATEST") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "golden-latest"));

    /// The measured-data fixtures (logs, scrapes, benchmark results, traces) and how each was made.
    public static string MeasuredFixtures => Path.Combine(RepositoryRoot, "tests", "PerfNotebooks.Tests", "Fixtures", "Measured");

    /// Real PyTorch profiler traces (PERFNB_TRACES overrides ../shared/traces).
    public static string Traces { get; } =
        Environment.GetEnvironmentVariable("PERFNB_TRACES") is { Length: > 0 } traces
            ? traces
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "traces"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfNotebooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PerfNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}
