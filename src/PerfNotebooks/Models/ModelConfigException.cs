namespace PerfNotebooks.Models;

/// <summary>A model configuration that cannot be read or used: names the file, the JSON key and the value.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelConfigException(string source, string? key, string message, Exception? inner = null)
        : base(OneLine(key is null ? $"{source}: {message}" : $"{source}: '{key}': {message}"), inner)
    {
        Source = source;
        Key = key;
        Reason = message;
    }

    /// <summary>The file (or name) the configuration came from.</summary>
    public new string Source { get; }

    /// <summary>The JSON key at fault, when one is.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the file and key.</summary>
    public string Reason { get; }

    // Implementation note: a file name or a quoted value may hold a newline or a control byte; the message stays one line.
    private static string OneLine(string message) => message.Any(char.IsControl)
        ? string.Concat(message.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()))
        : message;
}
