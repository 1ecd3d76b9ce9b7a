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
    [InlineData("PerfMagic.Current.Run(subcommand.Name", "PerfMagic.Current.Run(subcommand")]
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

        Assert.Equal(PerfMagic.Subcommands.Length, source.Split("kernel.AddDirective<").Length - 1);
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

    internal static ImmutableArray<Diagnostic> Compile(string script)
    {
        var stub = CSharpCompilation.Create(
            "KernelStub",
            [CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "KernelStub.cs.txt")))],
            Platform(),
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
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
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
