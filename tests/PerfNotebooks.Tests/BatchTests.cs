using PerfNotebooks.Requests;

namespace PerfNotebooks.Tests;

public partial class BatchTests
{
    [Fact]
    public void Add_aggregates_by_phase()
    {
        var ctx = Batch.Empty.Add(2048, 2048, true).Add(1, 8192, false).Add(1, 100, false);

        Assert.Equal((1L, 2048L, 2048L), (ctx.PrefillRequests, ctx.PrefillTokens, ctx.PrefillContextLength));
        Assert.Equal((Int128)(2048 * 2048), ctx.PrefillTokenContextProduct);
        Assert.Equal((2L, 2L, 8292L), (ctx.DecodeRequests, ctx.DecodeTokens, ctx.DecodeContextLength));
        Assert.Equal(2050, ctx.TotalTokens);
    }

    [Fact]
    public void AddMany_equals_repeated_Add()
    {
        var repeated = Batch.Empty;
        for (var i = 0; i < 7; i++)
        {
            repeated = repeated.Add(3, 50, false);
        }

        Assert.Equal(repeated, Batch.Empty.AddMany(7, 3, 50, false));
    }

    [Fact]
    public void Negative_tokens_are_rejected()
    {
        var error = Assert.Throws<InvalidValueException>(() => Batch.Empty.Add(-1, 5, true));

        Assert.Equal("tokens must be at least 0, not -1", error.Message);
    }

    [Theory]
    [InlineData("2048", true, 2048, 2048, 1)]
    [InlineData("512:4096x8", true, 512, 4096, 8)]
    [InlineData("4kx2", true, 4096, 4096, 2)]
    public void Prefill_spec_parses(string text, bool prefill, long tokens, long context, long count)
    {
        Assert.True(RequestSpec.TryParsePrefill(text, out var spec, out _));
        Assert.Equal(new RequestSpec(prefill, tokens, context, count), spec);
    }

    [Theory]
    [InlineData("0", "TOKENS must be a positive whole number")]
    [InlineData("10:5", "context 5 is shorter than the 10 tokens")]
    [InlineData("1:2:3", "more than one ':'")]
    [InlineData("8x", "COUNT must be")]
    public void Bad_prefill_spec_says_what_is_accepted(string text, string message)
    {
        Assert.False(RequestSpec.TryParsePrefill(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_spec_is_one_token_per_request()
    {
        Assert.True(RequestSpec.TryParseDecode("8192x64", out var spec, out _));
        Assert.Equal(new RequestSpec(false, 1, 8192, 64), spec);
    }
}
