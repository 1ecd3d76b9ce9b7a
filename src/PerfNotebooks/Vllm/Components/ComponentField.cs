namespace PerfNotebooks.Vllm.Components;

/// <summary>One validated field of a component, named as in vLLM (<c>num_key_value_heads</c>).</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Value">Its value (whole except fractional byte sizes such as 0.5), or null for a None field
/// (<c>sliding_window</c>, <c>q_lora_rank</c>).</param>
public readonly record struct ComponentField(string Name, decimal? Value);
