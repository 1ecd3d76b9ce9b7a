namespace PerfNotebooks.Interactive.Tests;

/// <summary>Where the repository's files are, found from the test assembly's folder.</summary>
internal static class Paths
{
    /// <summary>The repository root (the folder holding PerfNotebooks.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shared notebooks.</summary>
    public static string Notebooks => Path.Combine(Root, "notebooks");

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
