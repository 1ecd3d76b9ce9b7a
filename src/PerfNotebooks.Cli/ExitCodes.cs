using System.Globalization;

namespace PerfNotebooks.Cli;

/// <summary>The exit codes of <c>perfnb</c> (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: a model, config, GPU file or engine setting that cannot be used, or a file that cannot be read or written.</summary>
    public const int BadInput = 1;

    /// <summary>A usage error: an unknown command or option, a malformed or missing value.</summary>
    public const int Usage = 2;

    /// <summary>The step's description, for help text.</summary>
    public static string Describe() => string.Create(CultureInfo.InvariantCulture, $"exit codes: {Ok} ok, {BadInput} bad input, {Usage} usage error");
}
