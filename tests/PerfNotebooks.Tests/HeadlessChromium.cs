using System.Diagnostics;

namespace PerfNotebooks.Tests;

/// Headless Chromium as the browser tests drive it: a page in, the DOM it ends with out. .ci/run installs Chromium.
public static class HeadlessChromium
{
    /// The DOM of <paramref name="file"/> after Chromium loaded it, with a throwaway profile under
    /// <paramref name="profile"/>, no background network, and the caller's <paramref name="extra"/> flags.
    public static string DumpDom(string file, string profile, params string[] extra)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium; .ci/run does this)");
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(profile, "chromium")}",
            .. extra, "--dump-dom", new Uri(file).AbsoluteUri,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 120 s");
        }

        return stdout.Result;
    }
}
