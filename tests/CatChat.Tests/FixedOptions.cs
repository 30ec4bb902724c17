using Microsoft.Extensions.Options;

namespace CatChat.Tests;

/// <summary>Settings that never change while a test runs.</summary>
internal sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
