namespace PerfNotebooks.Serving;

/// <summary>A client's requests: lengths, when the client schedules each, which are measured, and how many it keeps in
/// flight.</summary>
internal sealed class Workload
{
    private Workload(int count)
    {
        Input = new long[count];
        Output = new long[count];
        Arrival = new double[count];
    }

    public int Count => Input.Length;

    public long[] Input { get; }

    public long[] Output { get; }

    /// <summary>When the client schedules each request (before waiting for a concurrency slot), seconds.</summary>
    public double[] Arrival { get; }

    /// <summary>Requests in flight at most (int.MaxValue: no limit).</summary>
    public int Concurrency { get; private init; } = int.MaxValue;

    /// <summary>The first requests are warm-up: left out of the statistics, and the measured ones start only after
    /// every warm-up response has arrived (aiperf's phases).</summary>
    public int Warmup { get; private init; }

    /// <summary>Whether the client is in front of an API server (false for a static batch).</summary>
    public bool ThroughApiServer { get; private init; } = true;

    public long LongestContext { get; private set; }

    public long LongestInput { get; private set; }

    public static Workload Create(LoadClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        static int Count(long total) => checked((int)Math.Max(1, total));

        var random = new Random(client.Seed);
        Workload w;
        switch (client)
        {
            case BenchServeClient b:
                w = new Workload(Count(b.NumPrompts))
                {
                    Concurrency = b.MaxConcurrency is { } c ? Count(c) : int.MaxValue,
                };
                Lengths(w, client.Dataset, random);
                Arrivals(w.Arrival, b.RequestRate, b.Burstiness, random);
                break;
            case AiperfClient a:
                var warmup = a.WarmupRequests == 0 ? 0 : Count(a.WarmupRequests);
                w = new Workload(checked(warmup + Count(a.NumRequests)))
                {
                    Concurrency = Count(a.Concurrency),
                    Warmup = warmup,
                };
                Lengths(w, client.Dataset, random);
                break;
            case StaticBatchClient s:
                w = new Workload(Count(s.Batch)) { ThroughApiServer = false };
                Lengths(w, client.Dataset, random);
                break;
            default:
                throw new ArgumentException($"client: {client.GetType().Name} is not a known benchmark client", nameof(client));
        }

        for (var i = 0; i < w.Count; i++)
        {
            w.LongestContext = Math.Max(w.LongestContext, checked(w.Input[i] + w.Output[i]));
            w.LongestInput = Math.Max(w.LongestInput, w.Input[i]);
        }

        return w;
    }

    // vllm/benchmarks/datasets.py RandomDataset.sample: input and output lengths uniform over [low, high] inclusive.
    private static void Lengths(Workload w, RandomDataset dataset, Random random)
    {
        var (inLow, inHigh) = dataset.Range(dataset.InputLen);
        var (outLow, outHigh) = dataset.Range(dataset.OutputLen);
        for (var i = 0; i < w.Count; i++)
        {
            w.Input[i] = inLow == inHigh ? inLow : random.NextInt64(inLow, inHigh + 1);
        }

        for (var i = 0; i < w.Count; i++)
        {
            w.Output[i] = outLow == outHigh ? outLow : random.NextInt64(outLow, outHigh + 1);
        }
    }

    // vllm/benchmarks/serve.py get_request: gaps drawn from gamma(shape = burstiness, scale = 1 / (rate × burstiness))
    // (exponential at burstiness 1, constant 1/rate at infinite burstiness), summed, then rescaled so the last
    // request is scheduled at n ÷ rate; an infinite rate schedules every request at 0.
    private static void Arrivals(double[] arrival, double rate, double burstiness, Random random)
    {
        if (double.IsPositiveInfinity(rate))
        {
            return;
        }

        double t = 0;
        for (var i = 0; i < arrival.Length; i++)
        {
            t += double.IsPositiveInfinity(burstiness) ? 1 / rate : Gamma(random, burstiness) / (rate * burstiness);
            arrival[i] = t;
        }

        var scale = arrival.Length / rate / arrival[^1];
        for (var i = 0; i < arrival.Length; i++)
        {
            arrival[i] *= scale;
        }
    }

    // A gamma(shape, 1) draw: Marsaglia and Tsang (2000), boosted by U^(1/shape) for shape < 1.
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
