using System.Globalization;

namespace PerfNotebooks.Serving;

/// <summary>
/// Speculative decoding as the user states it: a drafter proposes <see cref="DraftTokens"/> tokens per step, the
/// target model verifies them in one step and accepts each with probability <see cref="AcceptanceRate"/>, and the
/// drafter costs <see cref="DraftCost"/> of a target decode step per draft token.
/// </summary>
/// <remarks>
/// With independent acceptance a, k draft tokens give (1 − a^(k+1)) ÷ (1 − a) tokens per verification step (Leviathan
/// et al., "Fast Inference from Transformers via Speculative Decoding", ICML 2023, eq. 1; k + 1 when a = 1).
/// </remarks>
public sealed record PlannerSpeculation
{
    /// <summary>Draft tokens proposed per step (vLLM <c>num_speculative_tokens</c>), at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public required int DraftTokens { get; init => field = Guard.Positive(value, nameof(DraftTokens)); }

    /// <summary>Probability that a draft token is accepted, in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 1].</exception>
    public required double AcceptanceRate
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(AcceptanceRate), value, "must be in [0, 1]");
    }

    /// <summary>
    /// Time of drafting one token as a fraction of one target-model decode step at the same batch (default 0.05: an
    /// EAGLE drafter is one decoder layer plus the LM head, Li et al., "EAGLE", ICML 2024, §4; one layer of an 80-layer
    /// 70B model with its LM head is about 2–5 % of the step). State a measured figure when you have one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or above 1.</exception>
    public double DraftCost
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(DraftCost), value, "must be in [0, 1]");
    } = 0.05;

    /// <summary>Expected tokens per verification step: (1 − a^(k+1)) ÷ (1 − a), or k + 1 when every draft is accepted.</summary>
    public double TokensPerStep => AcceptanceRate >= 1
        ? DraftTokens + 1
        : (1 - Math.Pow(AcceptanceRate, DraftTokens + 1)) / (1 - AcceptanceRate);

    /// <summary>One step's time relative to a plain decode step: 1 + k × <see cref="DraftCost"/>.</summary>
    public double StepCost => 1 + (DraftTokens * DraftCost);

    /// <summary>Parses <c>TOKENS:ACCEPTANCE[:DRAFT_COST]</c>, e.g. <c>3:0.7</c> or <c>3:0.7:0.04</c>.</summary>
    public static bool TryParse(string? text, out PlannerSpeculation? value, out string error)
    {
        value = null;
        var parts = (text ?? string.Empty).Split(':');
        if (parts.Length is < 2 or > 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) || tokens <= 0
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var acceptance) || acceptance is < 0 or > 1)
        {
            error = $"'{text}' is not TOKENS:ACCEPTANCE[:DRAFT_COST] (draft tokens a positive whole number, acceptance in [0, 1]), e.g. 3:0.7";
            return false;
        }

        var cost = 0.05;
        if (parts.Length == 3 && (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out cost) || cost is < 0 or > 1))
        {
            error = $"'{text}': the draft cost '{parts[2]}' must be a fraction of a decode step in [0, 1]";
            return false;
        }

        value = new PlannerSpeculation { DraftTokens = tokens, AcceptanceRate = acceptance, DraftCost = cost };
        error = string.Empty;
        return true;
    }

    /// <summary><c>3 draft tokens at acceptance 0.7 (2.2 tokens per step, draft cost 0.05 of a step each)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{DraftTokens} draft tokens at acceptance {AcceptanceRate:0.###} ({TokensPerStep:0.##} tokens per step, draft cost {DraftCost:0.###} of a step each)");
}
