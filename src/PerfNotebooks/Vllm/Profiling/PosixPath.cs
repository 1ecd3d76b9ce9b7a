namespace PerfNotebooks.Vllm.Profiling;

/// <summary>Python's <c>posixpath</c> functions the profiler config uses, independent of the host OS.</summary>
internal static class PosixPath
{
    /// <summary><c>os.path.expanduser</c> for <c>~</c> and <c>~/…</c>; <c>~user</c> forms are left as they are.</summary>
    public static string ExpandUser(string path, string home)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(home);
        if (!path.StartsWith('~'))
        {
            return path;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var end = slash < 0 ? path.Length : slash;
        if (end != 1)
        {
            return path;
        }

        var expanded = home.TrimEnd('/') + path[end..];
        return expanded.Length == 0 ? "/" : expanded;
    }

    /// <summary><c>os.path.abspath</c>: joined to <paramref name="currentDirectory"/> when relative, then normalised.</summary>
    public static string AbsPath(string path, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(currentDirectory);
        if (!path.StartsWith('/'))
        {
            path = currentDirectory.Length == 0 || currentDirectory.EndsWith('/')
                ? currentDirectory + path
                : currentDirectory + "/" + path;
        }

        return NormPath(path);
    }

    /// <summary><c>os.path.normpath</c>: folds <c>.</c>, <c>..</c> and repeated slashes; exactly two leading slashes are kept.</summary>
    public static string NormPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return ".";
        }

        var initialSlashes = path.StartsWith('/') ? (path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : 1) : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part != ".." || (initialSlashes == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
            {
                parts.Add(part);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }

        var joined = new string('/', initialSlashes) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }
}
