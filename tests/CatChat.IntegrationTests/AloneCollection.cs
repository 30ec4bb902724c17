namespace CatChat.IntegrationTests;

/// <summary>
/// Tests that start CatChat as a process of its own, or publish it, run after the others and with none beside them:
/// in CI they share two cores with the IRC conformance suite, and with the parallel classes too a start took past its
/// minute.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
