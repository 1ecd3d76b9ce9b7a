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
