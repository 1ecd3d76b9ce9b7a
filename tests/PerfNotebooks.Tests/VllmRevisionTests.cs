using PerfNotebooks.Analysis;
using PerfNotebooks.Vllm.Components;

namespace PerfNotebooks.Tests;

public class VllmRevisionTests
{
    [Fact]
    public void Default_revision_is_2026_09_and_selects_its_registry()
    {
        Assert.Equal(VllmRevision.V2026_09, VllmRevision.Default);
        Assert.Equal(VllmRevision.V2026_09, new EngineSettings().Vllm);
        Assert.Same(ComponentRegistry.Revision202609, ComponentRegistry.For(VllmRevision.Latest));
        Assert.Equal(["attn", "mla_attn", "ffn", "unembed"], ComponentRegistry.Revision202609.Factories.Select(f => f.Name));
    }

    [Fact]
    public void Engine_revision_selects_the_components_a_model_is_built_from()
    {
        var old = Models.Catalog("llama-3.1-8b", new EngineSettings { Vllm = VllmRevision.V2025_12 });
        var latest = Models.Catalog("llama-3.1-8b", new EngineSettings { Vllm = VllmRevision.V2026_09 });

        Assert.Same(Vllm.AttentionAccounting.Revision202512, Assert.IsType<AttentionMetrics>(old.Components[0]).Accounting);
        Assert.Same(Vllm.AttentionAccounting.Revision202609, Assert.IsType<AttentionMetrics>(latest.Components[0]).Accounting);
        Assert.Same(Vllm.UnembedAccounting.Revision202512, Assert.IsType<UnembedMetrics>(old.Components[2]).Accounting);
        Assert.Same(Vllm.UnembedAccounting.Revision202609, Assert.IsType<UnembedMetrics>(latest.Components[2]).Accounting);
        Assert.False(Assert.IsType<UnembedMetrics>(old.Components[2]).LogitsTokensOnly);
        Assert.True(Assert.IsType<UnembedMetrics>(latest.Components[2]).LogitsTokensOnly);
        Assert.Same(PerfNotebooks.Models.ConfigResolution.Revision202512, old.Source.Rules);
        Assert.Same(PerfNotebooks.Models.ConfigResolution.Revision202609, latest.Source.Rules);
        Assert.Equal(VllmRevision.V2026_09, latest.Revision);
    }

    [Fact]
    public void Each_policy_picks_the_2026_09_rules_from_that_revision_on()
    {
        Assert.Same(Vllm.AttentionAccounting.Revision202512, Vllm.AttentionAccounting.For(VllmRevision.V2025_12));
        Assert.Same(Vllm.AttentionAccounting.Revision202609, Vllm.AttentionAccounting.For(VllmRevision.Latest));
        Assert.Same(Vllm.FfnAccounting.Revision202512, Vllm.FfnAccounting.For(VllmRevision.V2025_12));
        Assert.Same(Vllm.FfnAccounting.Revision202609, Vllm.FfnAccounting.For(VllmRevision.Latest));
        Assert.Same(Vllm.UnembedAccounting.Revision202512, Vllm.UnembedAccounting.For(VllmRevision.V2025_12));
        Assert.Same(Vllm.UnembedAccounting.Revision202609, Vllm.UnembedAccounting.For(VllmRevision.Latest));
        Assert.Equal("2025-12", PerfNotebooks.Models.ConfigResolution.For(VllmRevision.V2025_12).ToString());
        Assert.Equal("2026-09", PerfNotebooks.Models.ConfigResolution.For(VllmRevision.Latest).ToString());
        Assert.Contains("petit_nvfp4", PerfNotebooks.Models.ConfigResolution.Revision202609.QuantizationMethods);
        Assert.DoesNotContain("petit_nvfp4", PerfNotebooks.Models.ConfigResolution.Revision202512.QuantizationMethods);
    }

    [Fact]
    public void Sweep_points_use_the_spec_revision()
    {
        var spec = new SweepSpec { Models = ["llama-3.1-8b"], Gpus = ["H100-SXM"], Batches = [BatchShape.Prefill(2048)] };

        var old = Sweep.Run(spec with { Vllm = VllmRevision.V2025_12 }).Single();
        var latest = Sweep.Run(spec with { Vllm = VllmRevision.V2026_09 }).Single();

        // Only the unembedding changes for a bf16 Llama prefill: 2048 tokens billed at 2025-12, one logits token at 2026-09.
        Assert.Equal((Int128)2 * (2048 - 1) * 4096 * 128256, old.Estimate.Flops - latest.Estimate.Flops);
    }
}
