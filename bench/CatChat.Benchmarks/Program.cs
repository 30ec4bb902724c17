using BenchmarkDotNet.Running;
using CatChat.Benchmarks;

// dotnet run -c Release --project bench/CatChat.Benchmarks -- --filter '*'   (see bench/README.md)
BenchmarkSwitcher.FromAssembly(typeof(FramingBenchmarks).Assembly).Run(args);
