using PerfNotebooks.Catalog;
using PerfNotebooks.Configuration;

namespace PerfNotebooks.Interactive.Tests;

internal static class Models
{
    public static ModelMetrics Llama70bTp4() =>
        ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Find("llama-3.1-70b").Load(), new EngineSettings { TensorParallel = 4 }));
}
