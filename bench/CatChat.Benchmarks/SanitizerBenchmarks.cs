using System.Text;
using BenchmarkDotNet.Attributes;
using CatChat.Protocol;

namespace CatChat.Benchmarks;

/// <summary>Receive path, step two: one line's bytes to safe text (one string is the only allocation).</summary>
[MemoryDiagnoser]
public class SanitizerBenchmarks
{
    private byte[] _plain = [];
    private byte[] _accented = [];
    private byte[] _hostile = [];
    private byte[] _scratch = [];

    [GlobalSetup]
    public void Setup()
    {
        _plain = Encoding.UTF8.GetBytes("hello everyone, this is a 64-byte line of chat for the benchmark");
        _accented = Encoding.UTF8.GetBytes("ça va très bien, merci ! 猫のチャット — naïve café crème brûlée");
        _hostile = Encoding.UTF8.GetBytes("\u001b[2J\u001b]0;pwned\u0007red \u001b[31malert\u001b[0m \u202eevil\u0008\u0008 bytes");
        _scratch = new byte[256];
    }

    [Benchmark(Baseline = true)]
    public string PlainAscii() => Sanitize(_plain);

    [Benchmark]
    public string AccentedAndCjk() => Sanitize(_accented);

    [Benchmark]
    public string EscapeSequences() => Sanitize(_hostile);

    // Sanitize uses its input as scratch space: copy first so every call sees the original bytes.
    private string Sanitize(byte[] line)
    {
        line.CopyTo(_scratch, 0);
        return TextSanitizer.Sanitize(_scratch.AsSpan(0, line.Length));
    }
}
