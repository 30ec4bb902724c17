namespace CatChat.Bench.Tests;

/// <summary>
/// Tests that hold a thread for a set time and check what happened meanwhile run with no other test of this project
/// beside them: the end-to-end fan-outs next door load both cores and made the held receive miss its stamp in CI.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
