using PerfNotebooks.Models;
using PerfNotebooks.Vllm;

namespace PerfNotebooks.Interactive.Tests;

internal static class Models
{
    public static ModelMetrics Llama70bTp4() =>
        ModelMetrics.Create(ModelSource.Resolve(ModelCatalog.Find("llama-3.1-70b").Load(), new EngineSettings { TensorParallel = 4 }));
}
