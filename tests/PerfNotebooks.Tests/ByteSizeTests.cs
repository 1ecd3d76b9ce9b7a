namespace PerfNotebooks.Tests;

public class ByteSizeTests
{
    [Fact]
    public void Whole_bytes_scale_exactly_past_2_to_the_64()
    {
        Int128 prefix = (Int128)ulong.MaxValue;
        Assert.Equal(prefix * 2 * 3, ByteSize.FromBytes(2).Scale(prefix, 3));
    }

    [Fact]
    public void Four_bit_scale_reproduces_python_float_truncation()
    {
        // int((2**60 + 3) * 0.5 * 3) in Python: float(2**60+3) rounds to 2**60, so the +3 is lost.
        Int128 prefix = ((Int128)1 << 60) + 3;
        Assert.Equal(((Int128)1 << 59) * 3, ByteSize.FourBit.Scale(prefix, 3));
        Assert.Equal(7, ByteSize.FourBit.Scale(5, 3));  // int(5 * 0.5 * 3) = int(7.5)
    }

    [Fact]
    public void Sizes_print_as_vllm_writes_them()
    {
        Assert.Equal("0.5", ByteSize.FourBit.ToString());
        Assert.Equal("2", ByteSize.FromBytes(2).ToString());
    }
}
