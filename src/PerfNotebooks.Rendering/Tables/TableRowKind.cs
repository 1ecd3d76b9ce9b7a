namespace PerfNotebooks.Rendering;

/// <summary>What a table row is, for styling.</summary>
public enum TableRowKind
{
    /// <summary>An ordinary row.</summary>
    Body,

    /// <summary>A subtotal (a component's terms, a group).</summary>
    Subtotal,

    /// <summary>The total or the step.</summary>
    Total,

    /// <summary>A horizontal rule between groups; no cells.</summary>
    Rule,

    /// <summary>A row that did not work out: a skipped component, an invalid or non-fitting point.</summary>
    Problem,
}
