using PerfNotebooks.Models;

namespace PerfNotebooks.Vllm.Components;

/// <summary>How to build one component from a resolved config.</summary>
/// <param name="Name">The component's name.</param>
/// <param name="Create">Runs the component's parser chain and validation.</param>
public sealed record ComponentFactory(string Name, Func<ModelSource, ComponentOutcome> Create);
