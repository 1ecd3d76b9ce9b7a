using System.Runtime.CompilerServices;

// Plumbing stays internal; the tests and benchmarks reach it (the planner's judge, search and memory check).
[assembly: InternalsVisibleTo("PerfNotebooks.Tests")]
[assembly: InternalsVisibleTo("PerfNotebooks.Benchmarks")]
