using CatChat.Bench;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Tests;

/// <summary>The load generator's <c>--target</c> values, above all <c>catchat=LABEL:PATH</c>: another build of CatChat.</summary>
public sealed class TargetSpecTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catchat-targets-").FullName;

    [Theory]
    [InlineData("catchat", "catchat")]
    [InlineData("redis", "redis")]
    [InlineData("catchat:epoll", "catchat:epoll")]
    [InlineData("CatChat:IO_URING", "catchat:io_uring")]
    [InlineData("catchat*2", "catchat*2")]
    [InlineData("redis@127.0.0.1:6379", "redis@127.0.0.1:6379")]
    public void TargetsWithoutABuildKeepTheirNames(string text, string name) => Assert.Equal(name, TargetSpec.Parse(text).ToString());

    [Fact]
    public void AnotherBuildIsStartedFromItsPathAndNamedByItsLabel()
    {
        var dll = Build("CatChat.dll");

        var spec = TargetSpec.Parse($"catchat=before:{dll}");

        Assert.Equal(("catchat", "before", dll, null), (spec.Kind, spec.Label, spec.Program, spec.Transport));
        Assert.Null(spec.External);
        Assert.Equal("catchat=before", spec.ToString());
    }

    [Fact]
    public void AnotherBuildOnANamedTransportKeepsBothInItsName()
    {
        var spec = TargetSpec.Parse($"catchat:epoll=v0.1:{Build("catchat")}");

        Assert.Equal(("epoll", "v0.1"), (spec.Transport, spec.Label));
        Assert.Equal("catchat:epoll=v0.1", spec.ToString());
    }

    [Fact]
    public void ThePathIsWhatFollowsTheLabelsColonEvenWithColonsOfItsOwn()
    {
        var odd = Build("build:1.dll");

        Assert.Equal(odd, TargetSpec.Parse($"catchat=old:{odd}").Program);
    }

    [Fact]
    public void ARelativePathIsTakenFromTheWorkingDirectory()
    {
        var dll = Build("CatChat.dll");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), dll);

        Assert.Equal(dll, TargetSpec.Parse("catchat=before:" + relative).Program);
    }

    [Fact]
    public void TheTargetItStartsCarriesTheSameName()
    {
        var spec = TargetSpec.Parse($"catchat:io_uring=before:{Build("CatChat.dll")}");

        var target = spec.Create(new TargetOptions(Build: false, PinServer: null), externalPid: null);

        Assert.Equal(("catchat:io_uring=before", "catchat"), (target.Name, target.Kind));
    }

    [Fact]
    public void TwoBuildsInOneTargetListAreTwoTargets()
    {
        var options = BenchOptions.Parse(["fanout", "--target", $"catchat,catchat=before:{Build("CatChat.dll")}", "--no-build"]);

        Assert.Equal(["catchat", "catchat=before"], options.Targets.Select(t => t.ToString()));
    }

    [Theory]
    [InlineData("catchat=/tmp/CatChat.dll")] // no label
    [InlineData("catchat=before:")] // no path
    [InlineData("catchat=:/tmp/CatChat.dll")] // an empty label
    [InlineData("catchat=be fore:/tmp/CatChat.dll")] // a label with a space
    [InlineData("redis=before:/tmp/CatChat.dll")] // only CatChat has builds
    [InlineData("catchat*2=before:/tmp/CatChat.dll")]
    [InlineData("catchat:kqueue=before:/tmp/CatChat.dll")] // no such transport
    public void AMalformedBuildTargetIsRefused(string text) => Assert.Throws<ArgumentException>(() => TargetSpec.Parse(text));

    [Fact]
    public void ABuildThatIsNotThereIsRefusedBeforeAnyRun()
    {
        var missing = Path.Combine(_directory, "missing", "CatChat.dll");

        var error = Assert.Throws<ArgumentException>(() => TargetSpec.Parse($"catchat=before:{missing}"));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A stand-in for a build: the parser only checks that the file is there.
    private string Build(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "");
        return path;
    }
}
