using System.Reflection;
using System.Runtime.Loader;

namespace PerfNotebooks.Interactive.Tests;

/// Runs extension.dib's C# in-process against the kernel stub, as the kernel runs it on `#r`, and then submits
/// cells through the stub's reduced kernel (KernelFake in KernelStub.cs.txt): what a notebook user would see.
internal sealed class DibKernel
{
    private readonly Type _fake;

    private DibKernel(Type fake) => _fake = fake;

    /// Loads the dib (as `#r` does) and returns the kernel with the load's outputs.
    public static DibKernel Load(string dibSource, out List<Dictionary<string, string>> loadOutputs)
    {
        var (errors, stubImage, scriptImage, _) = ExtensionDibTests.Emit(ExtensionDibTests.CSharpCells(dibSource));
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        var context = new AssemblyLoadContext("perfnb-dib-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        var stub = context.LoadFromStream(new MemoryStream(stubImage));
        context.Resolving += (_, name) => name.Name == "KernelStub" ? stub : null;
        var script = context.LoadFromStream(new MemoryStream(scriptImage));
        var kernel = new DibKernel(stub.GetType("KernelFake.Fake", throwOnError: true)!);
        kernel.Call("Begin", "#r \"nuget: PerfNotebooks.Interactive\"");

        // A script compilation's entry is Script.<Factory>(object[] submissions): slot 0 for globals, slot 1 for itself.
        var factory = script.GetType("Script", throwOnError: true)!.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)!;
        ((Task<object>)factory.Invoke(null, [new object[2]])!).GetAwaiter().GetResult();
        loadOutputs = kernel.Outputs();
        Assert.Empty(kernel.Failures());
        return kernel;
    }

    /// Submits a cell; returns its outputs (mime type → value per output) and failure messages.
    public (List<Dictionary<string, string>> Outputs, List<string> Failures) Submit(string cell)
    {
        Call("Submit", cell);
        return (Outputs(), Failures());
    }

    private List<Dictionary<string, string>> Outputs() => (List<Dictionary<string, string>>)Call("Outputs")!;

    private List<string> Failures() => (List<string>)Call("Failures")!;

    private object? Call(string method, params object[] args) =>
        _fake.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args);
}
