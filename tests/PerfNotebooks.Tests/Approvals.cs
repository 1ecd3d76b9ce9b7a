using System.Runtime.CompilerServices;

namespace PerfNotebooks.Tests;

/// Approved snapshots: compares text with Approved/NAME.approved.txt; on a difference (or no approved file) writes
/// NAME.received.txt beside it and fails, so a reviewer can diff and approve by renaming.
public static class Approvals
{
    public static void Verify(string actual, string name, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "Approved");
        var approved = Path.Combine(folder, name + ".approved.txt");
        var received = Path.Combine(folder, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (File.Exists(approved) && File.ReadAllText(approved) == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(approved)
            ? $"{name}: output differs from the approved snapshot; compare {received} with {approved}"
            : $"{name}: no approved snapshot; review {received} and rename it to {Path.GetFileName(approved)}");
    }
}
