namespace PerfNotebooks.Models;

/// <summary>Why a config could not be fetched from the Hugging Face hub; the message never contains the token.</summary>
public sealed class HubException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubException(HubErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>What went wrong.</summary>
    public HubErrorKind Kind { get; }
}
