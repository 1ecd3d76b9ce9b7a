using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(PerfNotebooks.Benchmarks.StepBenchmarks).Assembly).Run(args);
