using BenchmarkDotNet.Attributes;
using CatChat.Protocol;

namespace CatChat.Benchmarks;

/// <summary>Receive path, step three: what a line asks for.</summary>
[MemoryDiagnoser]
public class CommandParserBenchmarks
{
    [Benchmark(Baseline = true)]
    public ChatCommand PlainText() => CommandParser.Parse("hello everyone, this is a line of chat");

    [Benchmark]
    public ChatCommand Action() => CommandParser.Parse("/me waves at everyone");

    [Benchmark]
    public ChatCommand PrivateMessage() => CommandParser.Parse("/msg bob see you at the meeting");

    [Benchmark]
    public ChatCommand UnknownCommand() => CommandParser.Parse("/frobnicate now");
}
