using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PerfNotebooks.Interactive.Tests;

/// Compiles the C# of interactive-extensions/dotnet/extension.dib with Roslyn, as the kernel would, against a stub
/// of the kernel members it uses, so typos and type errors in the dib fail CI.
public class ExtensionDibTests
{
    private static readonly string Dib = Path.Combine(Root(), "src", "PerfNotebooks.Interactive", "interactive-extensions", "dotnet", "extension.dib");

    [Fact]
    public void Extension_dib_compiles_against_the_kernel_api()
    {
        var errors = Compile(CSharpCells(File.ReadAllText(Dib)));

        Assert.True(errors.IsEmpty, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("kernel.AddDirective<PerfModelDirective>", "kernel.AddDirectiv<PerfModelDirective>")]
    [InlineData("PerfMagic.Current.RunCellLine(cell, cell.Code)", "PerfMagic.Current.RunCellLine(cell)")]
    [InlineData("AllowImplicitName = parameter.Implicit", "AllowImplicitName = parameter.Name")]
    public void A_typo_in_the_dib_is_caught(string original, string typo)
    {
        var source = File.ReadAllText(Dib);
        Assert.Contains(original, source, StringComparison.Ordinal);

        var errors = Compile(CSharpCells(source.Replace(original, typo, StringComparison.Ordinal)));

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Dib_declares_one_command_class_per_subcommand()
    {
        var source = File.ReadAllText(Dib);

        foreach (var subcommand in PerfMagic.Subcommands)
        {
            Assert.Contains($"case \"{subcommand.Name}\":", source.Replace("default:", "case \"help\":", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Equal(PerfMagic.Subcommands.Length + 1, source.Split("kernel.AddDirective<").Length - 1);
        Assert.DoesNotContain("KernelFake", source, StringComparison.Ordinal);
    }

    // Issue 8: Display(ctx, string, "text/html") formats the string, so the kernel showed the tags as escaped text.
    [Fact]
    public void Loading_the_package_shows_the_welcome_as_html()
    {
        using var formatters = new Formatters();
        DibKernel.Load(File.ReadAllText(Dib), out var outputs);

        var welcome = Assert.Single(outputs);
        Assert.Equal(PerfExtension.WelcomeHtml, welcome["text/html"]);
        Assert.StartsWith("<div><b>PerfNotebooks</b> loaded.", welcome["text/html"], StringComparison.Ordinal);
    }

    // Issue 8: the kernel binds only the parameters a subcommand declares and drops the rest silently.
    [Theory]
    [InlineData("#!perf step --tp banana", "#!perf step: unknown option --tp; options are: --prefill, --decode, --total")]
    [InlineData("#!perf step --decode 8192x32 --tp 2 --context 5", "#!perf step: unknown option --tp; options are: --prefill, --decode, --total")]
    public void An_option_the_kernel_drops_still_gets_the_one_line_error(string line, string expected)
    {
        using var formatters = new Formatters();
        var kernel = DibKernel.Load(File.ReadAllText(Dib), out _);
        Assert.Empty(kernel.Submit("#!perf model llama-3.1-8b").Failures);

        var (outputs, failures) = kernel.Submit(line);

        Assert.Empty(outputs);
        Assert.Equal([expected], failures);
    }

    // Issue 8: a bare #!perf or an unknown subcommand failed with NoSuitableKernelException and a stack trace.
    [Fact]
    public void A_bare_perf_shows_help_and_an_unknown_subcommand_names_the_real_ones()
    {
        using var formatters = new Formatters();
        var kernel = DibKernel.Load(File.ReadAllText(Dib), out _);

        var bare = kernel.Submit("#!perf");
        var bogus = kernel.Submit("#!perf bogus");

        Assert.Empty(bare.Failures);
        Assert.Contains("#!perf sweep: sweep decode batch", Assert.Single(bare.Outputs)["text/html"], StringComparison.Ordinal);
        Assert.Empty(bogus.Outputs);
        Assert.Equal(["#!perf: unknown subcommand 'bogus'; subcommands are: model, gpu, step, roofline, memory, sweep, serve, plan, help (#!perf help explains each)"], bogus.Failures);
    }

    // The same tests see the defects in the old wiring: Display of the welcome string, a root directive without a handler.
    [Fact]
    public void The_old_wiring_escaped_the_welcome_and_failed_a_bare_perf()
    {
        using var formatters = new Formatters();
        var source = File.ReadAllText(Dib);
        const string fixedWelcome = "KernelInvocationContextExtensions.DisplayAs(KernelInvocationContext.Current, PerfExtension.WelcomeHtml";
        const string fixedRoot = "        kernel.AddDirective<PerfDirective>(root, Run);\n";
        Assert.Contains(fixedWelcome, source, StringComparison.Ordinal);
        Assert.Contains(fixedRoot, source, StringComparison.Ordinal);
        var old = source
            .Replace(fixedWelcome, "KernelInvocationContextExtensions.Display(KernelInvocationContext.Current, PerfExtension.WelcomeHtml", StringComparison.Ordinal)
            .Replace(fixedRoot, "        kernel.KernelInfo.SupportedDirectives.Add(root);\n", StringComparison.Ordinal);

        var kernel = DibKernel.Load(old, out var outputs);
        var bare = kernel.Submit("#!perf");

        Assert.Contains("&lt;b&gt;PerfNotebooks&lt;/b&gt;", Assert.Single(outputs)["text/html"], StringComparison.Ordinal);
        Assert.StartsWith("Microsoft.DotNet.Interactive.NoSuitableKernelException", Assert.Single(bare.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_with_two_perf_lines_runs_each_with_its_own_options_and_charts_as_plotly()
    {
        using var formatters = new Formatters();
        var kernel = DibKernel.Load(File.ReadAllText(Dib), out _);

        var (outputs, failures) = kernel.Submit("#!perf model llama-3.1-8b --tp 2\n#!perf roofline --decode 4096x8");

        Assert.Empty(failures);
        Assert.Equal(2, PerfMagic.Current.Engine.TensorParallel);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html"], outputs[1].Keys);
        Assert.Contains("\"title\":{\"text\":\"Roofline on H100-SXM", outputs[1]["application/vnd.plotly.v1+json"], StringComparison.Ordinal);
        Assert.Contains("attn.qkv", outputs[2]["text/html"], StringComparison.Ordinal);
    }

    // Issue 8: the help's example used Dictionary<string, string?>, which raises CS8632 in a kernel cell (no nullable context).
    [Fact]
    public void The_helps_code_example_compiles_cleanly_in_a_kernel_cell()
    {
        const string lead = "Every result is also a value: ";
        var help = PerfMagic.Current.Run("help").Help.Text;
        var example = help.Split('\n').Single(l => l.StartsWith(lead, StringComparison.Ordinal))[lead.Length..];

        var diagnostics = Emit("using PerfNotebooks.Interactive;\n" + example).All;
        var old = Emit("using System.Collections.Generic;\nvar options = new Dictionary<string, string?> { [\"prefill\"] = \"2048\" };").All;

        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains(old, d => d.Id == "CS8632");
    }

    internal static string CSharpCells(string dib)
    {
        var cells = new List<string>();
        string? kernel = null;
        var current = new List<string>();
        foreach (var line in dib.Split('\n'))
        {
            if (line.StartsWith("#!", StringComparison.Ordinal) && !line.StartsWith("#!perf", StringComparison.Ordinal))
            {
                if (kernel == "csharp")
                {
                    cells.Add(string.Join('\n', current));
                }

                kernel = line[2..].Trim();
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }

        if (kernel == "csharp")
        {
            cells.Add(string.Join('\n', current));
        }

        return string.Join("\n", cells);
    }

    internal static ImmutableArray<Diagnostic> Compile(string script) => Emit(script).Errors;

    /// Compiles the kernel stub and the dib's C# as a script; the images are empty when there are errors.
    internal static (ImmutableArray<Diagnostic> Errors, byte[] Stub, byte[] Script, ImmutableArray<Diagnostic> All) Emit(string script)
    {
        var formatting = MetadataReference.CreateFromFile(typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location);
        var stub = CSharpCompilation.Create(
            "KernelStub",
            [CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KernelStub.cs.txt")), new CSharpParseOptions(LanguageVersion.Latest))],
            Platform().Append(formatting),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stubImage = new MemoryStream();
        var emitted = stub.Emit(stubImage);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var references = Platform()
            .Append(MetadataReference.CreateFromImage(stubImage.ToArray()))
            .Append(MetadataReference.CreateFromFile(typeof(PerfMagic).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(PerfNotebooks.ModelMetrics).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(PerfNotebooks.Rendering.ReportHtml).Assembly.Location));
        var compilation = CSharpCompilation.CreateScriptCompilation(
            "extension.dib",
            CSharpSyntaxTree.ParseText(script, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var scriptImage = new MemoryStream();
        var result = compilation.Emit(scriptImage);
        ImmutableArray<Diagnostic> errors = [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        return (errors, stubImage.ToArray(), errors.IsEmpty ? scriptImage.ToArray() : [], result.Diagnostics);
    }

    private sealed class Formatters : IDisposable
    {
        public Formatters() => Microsoft.DotNet.Interactive.Formatting.Formatter.ResetToDefault();

        public void Dispose() => Microsoft.DotNet.Interactive.Formatting.Formatter.ResetToDefault();
    }

    private static IEnumerable<MetadataReference> Platform() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => MetadataReference.CreateFromFile(p));

    internal static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfNotebooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PerfNotebooks.sln not found above " + AppContext.BaseDirectory);
    }
}
