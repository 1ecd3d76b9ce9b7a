namespace PerfNotebooks.Vllm.Profiling;

/// <summary>The process facts directory normalisation depends on: the home directory and the current directory (POSIX paths).</summary>
/// <param name="Home">The value of <c>HOME</c>, for <c>~</c> expansion.</param>
/// <param name="CurrentDirectory">The working directory relative paths are resolved against.</param>
public sealed record ProfilerEnvironment(string Home, string CurrentDirectory)
{
    /// <summary>This process's environment.</summary>
    public static ProfilerEnvironment Current =>
        new(Environment.GetEnvironmentVariable("HOME") ?? "/", Directory.GetCurrentDirectory());
}
