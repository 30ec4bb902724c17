using System.Diagnostics;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// The standard output of a CatChat process, line by line, so a test can wait for the line that says a thing
/// happened ("Now listening on ...", "Configuration changed ...") instead of polling for its effect.
/// </summary>
public sealed class ProcessOutput
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    public ProcessOutput(Process process)
    {
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }

            lock (_seen)
            {
                _seen.Add(line.Data);
            }

            _lines.Writer.TryWrite(line.Data);
        };
        process.BeginOutputReadLine();
    }

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Waits for the next line containing <paramref name="text"/>; fails if the process ends first.</summary>
    public async Task WaitForAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)); // CI shares two cores with the IRC suite
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"CatChat never wrote \"{text}\"; its output:\n" + string.Join("\n", Seen));
    }

    /// <summary>Returns at once if a line containing <paramref name="text"/> was written already, else waits for it.</summary>
    public Task WaitForSeenAsync(string text) =>
        Seen.Any(line => line.Contains(text, StringComparison.Ordinal)) ? Task.CompletedTask : WaitForAsync(text);

    /// <summary>The line Kestrel writes once the port accepts connections.</summary>
    public Task WaitUntilListeningAsync(int port) => WaitForAsync($"Chat listening on: tcp://127.0.0.1:{port}");
}
