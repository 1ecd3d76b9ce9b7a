using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace PerfNotebooks.Interactive.Tests;

/// <summary>What the real kernel shows for <c>#!perf</c> lines, the package loaded with <c>#i</c> and <c>#r</c>.</summary>
public class KernelMagicTests
{
    [Fact]
    public async Task Package_loads_with_i_and_r_and_registers_perf_with_every_subcommand()
    {
        var (kernel, load) = await RealKernel.LoadedAsync();
        using var _ = kernel;

        Assert.DoesNotContain(load.Events, e => e is CommandFailed or ErrorProduced);
        Assert.Contains(load.Events, e => e is PackageAdded { PackageReference.PackageName: "PerfNotebooks.Interactive" });
        var info = await kernel.SendAsync(new Microsoft.DotNet.Interactive.Commands.RequestKernelInfo("csharp"));
        var perf = info.Events.OfType<KernelInfoProduced>().Single().KernelInfo.SupportedDirectives.OfType<Microsoft.DotNet.Interactive.Directives.KernelActionDirective>().Single(d => d.Name == "#!perf");
        Assert.Equal(PerfMagic.Subcommands.Select(s => s.Name), perf.Subcommands.Select(s => s.Name));
    }

    [Fact]
    public async Task Each_line_shows_its_result_or_one_line_naming_what_is_wrong()
    {
        var (kernel, _) = await RealKernel.LoadedAsync();
        using var __ = kernel;

        // A bare #!perf shows help.
        var bare = await kernel.SubmitCodeAsync("#!perf");
        Assert.DoesNotContain(bare.Events, e => e is CommandFailed);
        var help = Assert.Single(bare.Events.OfType<DisplayedValueProduced>());
        Assert.Contains("#!perf: where the FLOPs and bytes of an LLM inference step go", help.FormattedValues.Single(v => v.MimeType == "text/html").Value, StringComparison.Ordinal);

        Assert.Equal(
            "#!perf: unknown subcommand 'bogus'; subcommands are: " + string.Join(", ", PerfMagic.Subcommands.Select(s => s.Name)) + " (#!perf help explains each)",
            await FailureOf(kernel, "#!perf bogus"));
        Assert.Equal(
            "#!perf memory: unknown option --tp; options are: --context, --utilization, --reserve-gb",
            await FailureOf(kernel, "#!perf memory --tp 4"));
        Assert.Equal(
            "#!perf memory: --utilization must be a fraction in (0, 1], e.g. 0.9, not '2'",
            await FailureOf(kernel, "#!perf memory --utilization 2"));
        Assert.Equal(
            "#!perf memory: --context must be a positive whole number (suffix k = ×1024, M = ×1048576 allowed), not 'abc'",
            await FailureOf(kernel, "#!perf memory --context abc"));
    }

    [Fact]
    public async Task Every_subcommand_runs_in_the_kernel_and_shows_its_outputs()
    {
        var (kernel, _) = await RealKernel.LoadedAsync();
        using var __ = kernel;
        string[] lines =
        [
            "#!perf model llama-3.1-8b", "#!perf gpu H100-SXM", "#!perf step --prefill 512", "#!perf roofline --decode 4096",
            "#!perf memory --context 8192", "#!perf sweep --decode-batch 1,8 --context 4k", "#!perf serve --input-len 512 --output-len 16 --batch 4",
            "#!perf plan --request-rate 2 --input-len 512 --output-len 16 --gpu H100-SXM --tp 1 --pp 1",
            $"#!perf measured --bench \"{Path.Combine(Paths.Root, "tests", "PerfNotebooks.Tests", "Fixtures", "Measured", "vllm-bench-serve.json")}\"", "#!perf help",
        ];
        Assert.Equal(PerfMagic.Subcommands.Select(s => s.Name), lines.Select(l => l.Split(' ')[1]));

        foreach (var line in lines)
        {
            var result = await kernel.SubmitCodeAsync(line);
            Assert.DoesNotContain(result.Events, e => e is CommandFailed or ErrorProduced);
            var outputs = result.Events.OfType<DisplayedValueProduced>().ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.StartsWith("<div class=\"perfnb-out\">", o.FormattedValues.Single(v => v.MimeType == "text/html").Value, StringComparison.Ordinal));
        }
    }

    private static async Task<string> FailureOf(Kernel kernel, string code)
    {
        var result = await kernel.SubmitCodeAsync(code);
        return Assert.Single(result.Events.OfType<CommandFailed>()).Message;
    }
}
