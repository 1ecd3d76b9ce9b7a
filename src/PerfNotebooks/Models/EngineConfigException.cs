using System.Text;

namespace PerfNotebooks.Models;

/// <summary>Engine settings that vLLM rejects; <see cref="Exception.Message"/> is vLLM's own message.</summary>
public sealed class EngineConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineConfigException(EngineErrorKind kind, string setting, string? value, string message)
        : base(message)
    {
        Kind = kind;
        Setting = setting;
        Value = value;
    }

    /// <summary>Which rejection this is.</summary>
    public EngineErrorKind Kind { get; }

    /// <summary>The engine setting at fault, named like vLLM's CLI flag (<c>tensor_parallel_size</c>).</summary>
    public string Setting { get; }

    /// <summary>The rejected value as text.</summary>
    public string? Value { get; }

    /// <summary>The kind in snake_case, as the golden files name it (<c>heads_not_divisible_by_tp</c>).</summary>
    public string KindName => SnakeCase(Kind.ToString());

    internal static string SnakeCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !(char.IsUpper(pascal[i - 1]) && (i + 1 == pascal.Length || char.IsUpper(pascal[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
