using System.Runtime.CompilerServices;

namespace PerfNotebooks.Tests;

/// Approved snapshots, in folders by subject: "Cli.step_default" compares text with
/// Approved/Cli/step_default.approved.txt; on a difference (or no approved file) writes step_default.received.txt
/// beside it and fails, so a reviewer can diff and approve by renaming.
public static class Approvals
{
    public static void Verify(string actual, string name, [CallerFilePath] string caller = "")
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        Assert.True(dot > 0, $"snapshot name '{name}' needs a subject: Subject.name");
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "Approved", name[..dot]);
        var approved = Path.Combine(folder, name[(dot + 1)..] + ".approved.txt");
        var received = Path.Combine(folder, name[(dot + 1)..] + ".received.txt");
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
