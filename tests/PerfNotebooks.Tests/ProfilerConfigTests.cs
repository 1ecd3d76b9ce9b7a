using PerfNotebooks.Vllm.Profiling;

namespace PerfNotebooks.Tests;

public class ProfilerConfigTests
{
    private static readonly ProfilerEnvironment Env = new("/home/u", "/work");

    [Theory]
    [InlineData("traces", "/work/traces")]
    [InlineData("~/t", "/home/u/t")]
    [InlineData("../a/./b//", "/a/b")]
    [InlineData("//host/share", "//host/share")]
    [InlineData("s3://bucket/x", "s3://bucket/x")]
    [InlineData("C://x", "/work/C:/x")]
    public void Directory_is_normalised_like_python_abspath_expanduser(string dir, string expected)
    {
        var result = ProfilerConfig.Validate($$"""{"profiler": "torch", "torch_profiler_dir": "{{dir}}"}""", Env);

        Assert.True(result.Ok);
        Assert.Equal(expected, result.Config!.TorchProfilerDir);
    }

    [Fact]
    public void Torch_profiler_without_directory_is_rejected_after_the_warning()
    {
        var result = ProfilerConfig.Validate("""{"profiler": "torch", "max_iterations": 3}""", Env);

        Assert.False(result.Ok);
        Assert.True(result.Warning);
        Assert.Equal("torch_profiler_dir must be set when profiler is 'torch'", result.Error!.Message);
    }

    [Fact]
    public void Field_errors_list_every_failing_field()
    {
        var result = ProfilerConfig.Validate("""{"profiler": "nsys", "delay_iterations": -1}""", Env);

        Assert.Equal("field", result.Error!.Kind);
        Assert.Equal("profiler,delay_iterations", string.Join(",", result.Error.Fields));
    }

    [Fact]
    public void Json_form_uses_snake_case_in_vllm_order()
    {
        var json = new ProfilerConfig { Profiler = "cuda" }.ToJson().ToJsonString();

        Assert.StartsWith("""{"profiler":"cuda","torch_profiler_dir":"","torch_profiler_with_stack":true""", json, StringComparison.Ordinal);
        Assert.EndsWith("\"ignore_frontend\":false,\"delay_iterations\":0,\"max_iterations\":0}", json, StringComparison.Ordinal);
    }
}
