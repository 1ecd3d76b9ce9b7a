using System.Globalization;
using System.Text;

namespace PerfNotebooks.Models;

/// <summary>Reads a small JSON file (a model config, a GPU file) with a size cap, so a weights shard or a device is refused, not read whole.</summary>
internal static class ConfigFile
{
    /// <summary>The most bytes a config or GPU file may hold: 8 MiB (published <c>config.json</c> files are a few KB).</summary>
    public const long MaxBytes = 8L << 20;

    /// <summary>Reads <paramref name="file"/> as UTF-8 text.</summary>
    /// <exception cref="ModelConfigException">The file is empty, not a regular file, larger than <see cref="MaxBytes"/> or unreadable.</exception>
    public static string ReadText(string file)
    {
        try
        {
            // Implementation note: a character device (/dev/zero), a pipe or a /proc file reports length 0, and a
            // pipe blocks on open; checking the length before opening refuses them without a hang.
            var length = new FileInfo(file).Length;
            if (length == 0)
            {
                throw new ModelConfigException(file, null, "is empty or not a regular file (a device or a pipe)");
            }

            if (length > MaxBytes)
            {
                throw TooLarge(file, length);
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
            var buffer = new byte[(int)Math.Min(length + 1, MaxBytes + 1)];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            if (read > MaxBytes)
            {
                throw TooLarge(file, read);
            }

            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigException(file, null, $"cannot be read: {e.Message}", e);
        }
    }

    private static ModelConfigException TooLarge(string file, long bytes) => new(file, null, string.Create(CultureInfo.InvariantCulture,
        $"is {bytes:N0} bytes or more, over the {MaxBytes >> 20} MiB a config may hold: is it a weights file? Give the config.json"));
}
