using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PerfNotebooks.Tests;

/// The C# blocks of README.md compile as written: each is the Program.cs of a console app (the SDK's implicit usings,
/// nullable on) referencing the core, as a user who copies it has it.
public partial class ReadmeSnippetTests
{
    // What `dotnet new console` imports implicitly (ImplicitUsings in Microsoft.NET.Sdk).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Snippets().Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static ImmutableArray<string> Snippets() =>
        [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(m => m.Groups["code"].Value)];

    [Fact]
    public void Readme_has_a_library_snippet_that_loads_through_the_front_door()
    {
        Assert.Contains(Snippets(), s => s.Contains("PerfModel.Load(", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Readme_csharp_block_compiles_against_the_core(int index)
    {
        var errors = Compile(Snippets()[index]);

        Assert.True(errors.IsEmpty, $"README.md C# block {index + 1} does not compile:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void Compile_reports_a_call_the_core_does_not_have()
    {
        var errors = Compile("using PerfNotebooks;\nvar model = PerfModel.Load(\"llama-3.1-8b\");\nmodel.NoSuchMethod();\n");

        Assert.Contains(errors, e => e.Contains("NoSuchMethod", StringComparison.Ordinal));
    }

    private static ImmutableArray<string> Compile(string program)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(PerfModel).Assembly.Location).Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, options), CSharpSyntaxTree.ParseText(program, options)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];
    }
}
