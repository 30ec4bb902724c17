using System.Reflection;
using System.Text.RegularExpressions;

namespace CatChat.Tests;

/// <summary>
/// Every arrow between CatChat's parts points down: Hosting -> front doors, Api, Persistence, Backplane -> Sessions ->
/// Chat -> Protocol, and the transport is reached only through Hosting. These read the sources' using directives (and
/// the transport's references), so a new arrow upward fails here rather than in a review.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot(), "src", "CatChat");

    // What each folder of src/CatChat may use of CatChat's own namespaces, besides itself and CatChat.Protocol.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Chat"] = [],
        ["Sessions"] = ["Chat"],
        ["FrontDoors"] = ["Sessions", "Chat"],
        ["Api"] = ["Sessions", "Chat", "Persistence"],
        ["Persistence"] = ["Chat"],
        ["Backplane"] = ["Chat"],
    };

    public static TheoryData<string> Folders => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Folders))]
    public void AFolderUsesOnlyTheLayersBelowIt(string folder)
    {
        var allowed = Allowed[folder].Append(folder).Append("Protocol").ToHashSet(StringComparer.Ordinal);
        var upward =
            from file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
            where !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            from line in File.ReadLines(file)
            let used = UsingOfCatChat().Match(line)
            where used.Success && !allowed.Contains(used.Groups[1].Value)
            select $"{Path.GetRelativePath(Source, file)}: {line.Trim()}";

        Assert.Empty(upward);
    }

    [Fact]
    public void AFrontDoorKnowsNoOtherFrontDoor()
    {
        foreach (var door in Directory.EnumerateDirectories(Path.Combine(Source, "FrontDoors")))
        {
            var name = Path.GetFileName(door);
            var others =
                from file in Directory.EnumerateFiles(door, "*.cs", SearchOption.AllDirectories)
                from line in File.ReadLines(file)
                where line.StartsWith("using CatChat.FrontDoors.", StringComparison.Ordinal) && !line.StartsWith($"using CatChat.FrontDoors.{name}", StringComparison.Ordinal)
                select $"{Path.GetRelativePath(Source, file)}: {line.Trim()}";

            Assert.Empty(others);
        }
    }

    [Fact]
    public void OnlyHostingReachesTheTransport()
    {
        var outsideHosting =
            from file in Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            where !Path.GetRelativePath(Source, file).StartsWith("Hosting", StringComparison.Ordinal)
            from line in File.ReadLines(file)
            where line.StartsWith("using CatChat.Transport", StringComparison.Ordinal)
            select $"{Path.GetRelativePath(Source, file)}: {line.Trim()}";

        Assert.Empty(outsideHosting);
    }

    [Fact]
    public void TheTransportReferencesNothingOfTheChat()
    {
        var transport = typeof(CatChat.Transport.SocketTransport).Assembly;

        Assert.DoesNotContain(transport.GetReferencedAssemblies(), reference => reference.Name is "CatChat" or "CatChat.Protocol");
        Assert.DoesNotContain(transport.GetTypes(), type => type.Namespace?.StartsWith("CatChat.Transport", StringComparison.Ordinal) != true && type.Namespace is not null && type.Namespace.StartsWith("CatChat", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?CatChat\.(\w+)")]
    private static partial Regex UsingOfCatChat();

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "CatChat.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("no CatChat.slnx above the test output");
        }

        return root.FullName;
    }
}
