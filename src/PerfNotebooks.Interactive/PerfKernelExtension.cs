using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace PerfNotebooks.Interactive;

/// <summary>
/// The kernel wiring, compiled against the .NET Interactive kernel: registers the formatters and the <c>#!perf</c>
/// directive, one subcommand per <see cref="PerfMagic.Subcommands"/> entry, and forwards each cell's raw <c>#!perf</c>
/// line to <see cref="PerfMagic"/>, which parses it (the kernel would silently drop options a subcommand does not
/// declare). The package's <c>interactive-extensions/dotnet/extension.dib</c> is one line that calls <see cref="Load"/>.
/// </summary>
public sealed class PerfKernelExtension : IKernelExtension
{
    /// <summary>Loads the extension into <paramref name="kernel"/> (a composite kernel's C# kernel, or a C# kernel).</summary>
    public Task OnLoadAsync(Kernel kernel)
    {
        Load(kernel);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Registers the formatters and <c>#!perf</c> on the C# kernel (<paramref name="kernel"/> itself, or the
    /// <c>csharp</c> kernel of a composite kernel) and starts a fresh <c>#!perf</c> session.
    /// </summary>
    public static void Load(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var target = kernel is CompositeKernel composite ? composite.FindKernelByName("csharp") ?? kernel : kernel;
        PerfExtension.Register();
        var root = Directive();
        foreach (var subcommand in root.Subcommands)
        {
            target.AddDirective(subcommand, RunAsync);
        }

        target.AddDirective(root, RunAsync);
        KernelInvocationContext.Current?.Publish(new DisplayedValueProduced(
            PerfExtension.WelcomeHtml, KernelInvocationContext.Current.Command, [new FormattedValue("text/html", PerfExtension.WelcomeHtml)]));
    }

    /// <summary>The <c>#!perf</c> directive: every subcommand of <see cref="PerfMagic.Subcommands"/> with its parameters.</summary>
    internal static KernelActionDirective Directive()
    {
        var root = new KernelActionDirective("#!perf")
        {
            Description = "PerfNotebooks: FLOPs, bytes, roofline, memory, sweeps and serving of an LLM inference step",
        };
        foreach (var subcommand in PerfMagic.Subcommands)
        {
            var directive = new KernelActionDirective(subcommand.Name) { Description = subcommand.Description };
            foreach (var parameter in subcommand.Parameters)
            {
                var kernelParameter = new KernelDirectiveParameter(parameter.Name, parameter.Description)
                {
                    AllowImplicitName = parameter.Implicit,
                    Flag = parameter.Flag,
                };
                if (parameter.Completions is { } completions)
                {
                    kernelParameter.AddCompletions(completions);
                }

                directive.Parameters.Add(kernelParameter);
            }

            root.Subcommands.Add(directive);
        }

        return root;
    }

    private static Task RunAsync(KernelCommand command, KernelInvocationContext context)
    {
        // The cell's SubmitCode holds the raw line, options the kernel does not know included.
        if ((command.Parent ?? context.Command) is not SubmitCode cell)
        {
            context.Fail(command, message: "#!perf: the kernel did not pass the cell's code; run #!perf lines in a C# cell");
            return Task.CompletedTask;
        }

        try
        {
            var result = PerfMagic.Current.RunCellLine(cell, cell.Code);
            foreach (var output in NotebookHtml.Outputs(result))
            {
                context.Publish(new DisplayedValueProduced(
                    result.Value, command, [.. output.MimeBundle.Select(v => new FormattedValue(v.Key, v.Value))]));
            }
        }
        catch (PerfMagicException e)
        {
            context.Fail(command, message: e.Message);
        }

        return Task.CompletedTask;
    }
}
