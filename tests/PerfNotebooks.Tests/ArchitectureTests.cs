using System.Text.RegularExpressions;

namespace PerfNotebooks.Tests;

/// The core's folders are its namespaces, and its parts depend on each other in one direction only: the vLLM book
/// never reads the physical book, the hardware or the analysis built on them. Read from the sources, so a new
/// file lands in a test failure rather than in a reviewer's memory.
public sealed partial class ArchitectureTests
{
    private static readonly string Core = Path.Combine(Paths.RepositoryRoot, "src", "PerfNotebooks");

    /// What each part may use. "Primitives" are the root's files (batch, breakdown, units, engine settings), the
    /// "FrontDoor" is PerfModel, which may use everything.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Internal"] = ["Primitives"],
        ["Primitives"] = ["Internal"],
        ["Models"] = ["Primitives", "Internal"],
        ["Vllm"] = ["Models", "Primitives", "Internal"],
        ["Hardware"] = ["Models", "Primitives", "Internal"],
        ["Physical"] = ["Hardware", "Models", "Primitives", "Internal"],
        ["Analysis"] = ["Physical", "Vllm", "Hardware", "Models", "Primitives", "Internal"],
        ["Serving"] = ["Analysis", "Physical", "Vllm", "Hardware", "Models", "Primitives", "Internal"],
        ["Measured"] = ["Serving", "Analysis", "Physical", "Vllm", "Hardware", "Models", "Primitives", "Internal"],
        ["Requests"] = ["Measured", "Serving", "Analysis", "Physical", "Vllm", "Hardware", "Models", "Primitives", "Internal"],
        ["FrontDoor"] = ["Requests", "Measured", "Serving", "Analysis", "Physical", "Vllm", "Hardware", "Models", "Primitives", "Internal"],
    };

    public static TheoryData<string> SourceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in CoreFiles())
        {
            data.Add(Path.GetRelativePath(Core, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void Namespace_equals_folder(string file)
    {
        var folder = Path.GetDirectoryName(file)!.Replace('/', '.');
        var expected = folder.Length == 0 ? "PerfNotebooks" : "PerfNotebooks." + folder;
        var declared = NamespaceLine().Match(File.ReadAllText(Path.Combine(Core, file)));
        Assert.True(declared.Success, $"{file} declares no file-scoped namespace");
        Assert.Equal(expected, declared.Groups[1].Value);
    }

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void Part_uses_only_the_parts_below_it(string file)
    {
        var part = PartOf(file);
        Assert.True(Allowed.ContainsKey(part), $"{file}: {part} is not a known part of the core; add it to {nameof(Allowed)} with its place");
        var illegal = Dependencies(file).Where(d => d != part && !Allowed[part].Contains(d)).ToArray();
        Assert.True(illegal.Length == 0, $"{file} ({part}) uses {string.Join(", ", illegal)}");
    }

    [Fact]
    public void Parts_form_no_cycle()
    {
        var edges = CoreFiles()
            .Select(f => Path.GetRelativePath(Core, f).Replace('\\', '/'))
            .SelectMany(f => Dependencies(f).Select(d => (From: PartOf(f), To: d)))
            .Where(e => e.From != e.To)
            .Distinct()
            .ToLookup(e => e.From, e => e.To);

        // Given the measured edges, when walked depth first, then no part reaches itself.
        var done = new HashSet<string>();
        foreach (var start in edges.Select(g => g.Key))
        {
            var path = new Stack<string>();
            Visit(start);

            void Visit(string part)
            {
                Assert.False(path.Contains(part), $"cycle: {string.Join(" <- ", path.Reverse().Append(part))}");
                if (!done.Add(part))
                {
                    return;
                }

                path.Push(part);
                foreach (var next in edges[part])
                {
                    Visit(next);
                }

                path.Pop();
            }
        }
    }

    [Fact]
    public void Vllm_book_depends_on_neither_the_physical_book_nor_analysis()
    {
        var vllmFiles = CoreFiles().Where(f => PartOf(Path.GetRelativePath(Core, f).Replace('\\', '/')) == "Vllm").ToArray();
        Assert.NotEmpty(vllmFiles);
        foreach (var file in vllmFiles)
        {
            var deps = Dependencies(Path.GetRelativePath(Core, file).Replace('\\', '/'));
            Assert.DoesNotContain("Physical", deps);
            Assert.DoesNotContain("Analysis", deps);
            Assert.DoesNotContain("Hardware", deps);
            Assert.DoesNotContain("Serving", deps);
        }
    }

    [Fact]
    public void Public_surface_of_the_core_outside_serving_and_measured_has_at_most_110_types()
    {
        // 140 public types before the namespace layout, 116 after it; 109 once term buffers, config numbers and
        // parser chains went internal. Serving and Measured (55 more) are counted on their own.
        var exported = typeof(PerfModel).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToArray();
        var core = exported.Where(t => t.Namespace is not ("PerfNotebooks.Serving" or "PerfNotebooks.Measured")).ToArray();

        Assert.True(core.Length <= 110, $"{core.Length} public types: {string.Join(", ", core.Select(t => t.Name).Order(StringComparer.Ordinal))}");
        Assert.DoesNotContain(exported, t => t.Namespace == "PerfNotebooks.Internal");
    }

    [Fact]
    public void Dependencies_see_usings_qualified_names_and_the_front_door()
    {
        // The scanner itself: each way a file can reach another part is seen, comments are not.
        var text = "using PerfNotebooks.Vllm;\n// PerfNotebooks.Serving.X in a comment\n/// <see cref=\"PerfModel\"/>\nvar x = PerfNotebooks.Hardware.GpuCatalog.Find(\"a\"); PerfModel.Load(\"m\");";
        Assert.Equal(["FrontDoor", "Hardware", "Vllm"], DependenciesOf(text).Order());
    }

    private static IEnumerable<string> CoreFiles() =>
        Directory.EnumerateFiles(Core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string PartOf(string relativeFile) => relativeFile.Split('/') switch
    {
        ["PerfModel.cs"] => "FrontDoor",
        [var folder, _, ..] => folder,
        _ => "Primitives",
    };

    private static HashSet<string> Dependencies(string relativeFile) => DependenciesOf(File.ReadAllText(Path.Combine(Core, relativeFile)));

    private static HashSet<string> DependenciesOf(string source)
    {
        var code = Comment().Replace(source, string.Empty);
        var parts = Reference().Matches(code).Select(m => m.Groups[1].Value).ToHashSet();
        if (FrontDoorUse().IsMatch(code))
        {
            parts.Add("FrontDoor");
        }

        return parts;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bPerfNotebooks\.(\w+)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\bPerfModel\b")]
    private static partial Regex FrontDoorUse();
}
