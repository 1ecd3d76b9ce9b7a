using PerfNotebooks.Analysis;

namespace PerfNotebooks.Interactive.Tests;

public class PerfMagicTests : FormatterTestBase
{
    private static Dictionary<string, string?> Options(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Model_then_step_returns_values_cells_can_use()
    {
        var magic = PerfMagic.Current;

        var model = (ModelView)magic.Run("model", Options(("Name", "llama-3.1-70b"), ("Tp", "4"), ("Ep", null)));
        var step = (StepView)magic.Run("step", Options(("Prefill", "2048"), ("Decode", "8192x32")));

        Assert.Equal(70_552_387_584, model.Summary.Parameters);
        Assert.Equal(4, magic.Engine.TensorParallel);
        Assert.Equal(Models.Llama70bTp4().Flops(step.Batch), step.Flops);
        Assert.Equal(33, step.Batch.TotalRequests);
    }

    [Fact]
    public void Roofline_memory_and_sweep_use_the_session_gpu()
    {
        var magic = PerfMagic.Current;
        magic.Run("model", Options(("name", "llama-3.1-8b")));
        magic.Run("gpu", Options(("name", "MI300X"), ("bandwidth-efficiency", "0.8")));

        var roofline = (RooflineReport)magic.Run("roofline", Options(("decode", "4096")));
        var memory = (MemoryPlan)magic.Run("memory", Options(("context", "8192")));
        var sweep = (SweepView)magic.Run("sweep", Options(("batch", "1,8"), ("context", "1024,4096")));

        Assert.Equal("MI300X", roofline.Gpu.Name);
        Assert.True(roofline.AppliedEfficiency);
        Assert.Equal(5.3e12 * 0.8, roofline.BytesPerSecond, 3);
        Assert.Equal(192e9 * 0.9, memory.UsableBytes, 3);
        Assert.Equal(4, sweep.Rows.Length);
        Assert.All(sweep.Rows, r => Assert.Equal("MI300X", r.Config.Gpu));
    }

    [Theory]
    [InlineData("step", new[] { "prefill", "2048" }, "#!perf: no model chosen yet; run #!perf model NAME first")]
    [InlineData("model", new[] { "name", "nope" }, "#!perf model: nope: not a file, a folder, a catalog model or a Hugging Face id")]
    [InlineData("model", new[] { "name", "llama-3.1-8b", "tp", "7" }, "#!perf model: tensor_parallel_size '7' rejected: Total number of attention heads (32)")]
    [InlineData("model", new[] { "name", "llama-3.1-8b", "tp", "two" }, "#!perf model: --tp must be a positive whole number, not 'two'")]
    [InlineData("model", new[] { "name", "llama-3.1-8b", "tpp", "2" }, "#!perf model: unknown option 'tpp'; options are: --name, --dtype, --kv-cache-dtype")]
    [InlineData("gpu", new[] { "name", "H100-SXM", "flops-efficiency", "1.5" }, "#!perf: --flops-efficiency must be a fraction in (0, 1], not '1.5'")]
    [InlineData("frobnicate", new string[0], "#!perf: unknown subcommand 'frobnicate'; subcommands are: model, gpu, step")]
    [InlineData("model", new string[0], "#!perf model: --name is required")]
    public void A_wrong_option_gets_one_message_naming_it(string subcommand, string[] pairs, string expected)
    {
        var options = pairs.Chunk(2).ToDictionary(p => p[0], p => (string?)p[1]);

        var error = Assert.Throws<PerfMagicException>(() => PerfMagic.Current.Run(subcommand, options));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Completions_offer_models_gpus_and_dtypes()
    {
        string[] Complete(string sub, string parameter) => [.. PerfMagic.Subcommands.Single(s => s.Name == sub).Parameters.Single(p => p.Name == parameter).Completions!()];

        Assert.Contains("llama-3.1-70b", Complete("model", "--name"));
        Assert.Contains("H100-SXM", Complete("gpu", "--name"));
        Assert.Contains("fp8_e4m3", Complete("model", "--kv-cache-dtype"));
        Assert.Contains("fp8", Complete("roofline", "--compute-dtype"));
    }

    [Fact]
    public void Parameter_property_names_match_the_dib_command_class()
    {
        var dib = File.ReadAllText(Path.Combine(ExtensionDibTests.Root(), "src", "PerfNotebooks.Interactive", "interactive-extensions", "dotnet", "extension.dib"));

        foreach (var parameter in PerfMagic.Subcommands.SelectMany(s => s.Parameters))
        {
            Assert.Contains($" {parameter.PropertyName} {{ get; set; }}", dib, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_lists_subcommands_and_the_session()
    {
        var help = (HelpView)PerfMagic.Current.Run("help", new Dictionary<string, string?>());

        Assert.Contains("#!perf sweep: sweep decode batch", help.Text, StringComparison.Ordinal);
        Assert.Contains("session: model (none: #!perf model NAME)", help.Text, StringComparison.Ordinal);
    }
}
