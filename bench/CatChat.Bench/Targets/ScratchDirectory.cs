namespace CatChat.Bench.Targets;

/// <summary>
/// A throwaway directory for a server this tool starts (its data, configuration and log), deleted with the run:
/// dispose it after the server's process, whose log is in it.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    private ScratchDirectory(string path) => FullName = path;

    public string FullName { get; }

    public static ScratchDirectory Create(string prefix) => new(Directory.CreateTempSubdirectory(prefix).FullName);

    /// <summary>The path of <paramref name="name"/> inside this directory.</summary>
    public string PathOf(string name) => Path.Combine(FullName, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullName, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
