namespace CatChat.Testing;

/// <summary>
/// tests/tools/no-io-uring.c compiled for this test run: a launcher that runs a program with io_uring refused
/// (EPERM from io_uring_setup, _enter and _register), as Docker's default seccomp profile refuses it.
/// </summary>
public sealed class NoIoUring : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catchat-no-io-uring-").FullName;

    /// <summary>The compiled launcher: <c>no-io-uring PROGRAM [ARGUMENT...]</c>.</summary>
    public string Launcher => Path.Combine(_directory, "no-io-uring");

    public async Task InitializeAsync()
    {
        var source = Path.Combine(Tool.RepositoryRoot, "tests", "tools", "no-io-uring.c");
        var (exitCode, output) = await Tool.RunAsync("cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", Launcher, source]);
        Assert.True(exitCode == 0, "cc could not build the launcher:\n" + output);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
