using Microsoft.DotNet.Interactive.Formatting;

namespace PerfNotebooks.Interactive.Tests;

/// Resets the global formatter registrations around each test, as dotnet/interactive's FormatterTestBase does.
public abstract class FormatterTestBase : IDisposable
{
    protected FormatterTestBase()
    {
        Formatter.ResetToDefault();
        PerfExtension.Register();
    }

    public void Dispose()
    {
        Formatter.ResetToDefault();
        GC.SuppressFinalize(this);
    }
}
