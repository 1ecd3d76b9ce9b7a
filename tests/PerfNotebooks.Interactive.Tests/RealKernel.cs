using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace PerfNotebooks.Interactive.Tests;

/// <summary>
/// The .NET Interactive kernel in process, wired as the dotnet-interactive tool wires it: a composite kernel with a C#
/// kernel whose <c>#i</c>/<c>#r "nuget:"</c> directives add the restored assemblies, and, after each command, the
/// extensions of every package it added loaded from the package's <c>interactive-extensions/dotnet</c> folder (the
/// DLLs' <see cref="IKernelExtension"/> types, then <c>extension.dib</c>).
/// </summary>
internal static class RealKernel
{
    private static readonly Lazy<Task<PackedPackage>> Packed = new(PackAsync);

    /// <summary>PerfNotebooks.Interactive packed once per test run into a temporary folder at a unique prerelease version.</summary>
    public static Task<PackedPackage> PackageAsync() => Packed.Value;

    /// <summary>A fresh kernel as the tool builds it (no package loaded yet).</summary>
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            }, forceRestore: false)
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        LoadExtensionsOfAddedPackages(composite);
        return composite;
    }

    /// <summary>A kernel with the packed package loaded through <c>#i</c> of its absolute folder and <c>#r</c>.</summary>
    public static async Task<(CompositeKernel Kernel, KernelCommandResult Load)> LoadedAsync()
    {
        var package = await PackageAsync();
        var kernel = Create();
        var load = await kernel.SubmitCodeAsync($"#i \"nuget: {package.Folder}\"\n#r \"nuget: PerfNotebooks.Interactive, {package.Version}\"");
        return (kernel, load);
    }

    private static void LoadExtensionsOfAddedPackages(CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        kernel.RegisterForDisposal(kernel.KernelEvents.Subscribe(new Observer(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root } && seen.TryAdd(root, true))
            {
                added.Enqueue(root);
            }
        })));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var root))
            {
                var folder = new DirectoryInfo(Path.Combine(root, "interactive-extensions", "dotnet"));
                if (!folder.Exists)
                {
                    continue;
                }

                foreach (var dll in folder.GetFiles("*.dll"))
                {
                    var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll.FullName);
                    foreach (var type in assembly.ExportedTypes.Where(t => !t.IsAbstract && !t.IsInterface && typeof(IKernelExtension).IsAssignableFrom(t)))
                    {
                        var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                        await extension.OnLoadAsync(kernel);
                        context.Publish(new KernelExtensionLoaded(extension, context.Command));
                    }
                }

                var dib = new FileInfo(Path.Combine(folder.FullName, "extension.dib"));
                if (dib.Exists)
                {
                    await kernel.LoadAndRunInteractiveDocument(dib);
                }
            }
        }, "load extensions of added packages");
    }

    private static async Task<PackedPackage> PackAsync()
    {
        var folder = Directory.CreateTempSubdirectory("perfnb-kernel-packages-").FullName;
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Environment.ProcessId;
        // The test run already built the libraries; pack those builds (same configuration) at the unique version.
        var configuration = typeof(RealKernel).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (var project in new[] { "PerfNotebooks", "PerfNotebooks.Rendering", "PerfNotebooks.Interactive" })
        {
            await Dotnet("pack", Path.Combine(Paths.Root, "src", project, project + ".csproj"), "--no-build", "-c", configuration, "-o", folder, "--nologo", "-p:Version=" + version);
        }

        return new PackedPackage(folder, version);
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; throws with its output when it fails.</summary>
    public static async Task<string> Dotnet(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var log = await output + await errors;
        return process.ExitCode == 0 ? log : throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{log}");
    }

    private sealed class Observer(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(KernelEvent value) => onNext(value);
    }
}

/// <summary>A packed PerfNotebooks.Interactive: the folder holding it and its dependencies, and its version.</summary>
internal sealed record PackedPackage(string Folder, string Version);
