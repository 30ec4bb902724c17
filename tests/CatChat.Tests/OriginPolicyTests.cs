using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("http://[::1]:8080", "[::1]:8080")]
    [InlineData("http://192.168.1.20:8080", "192.168.1.20:8080")]
    [InlineData("http://localhost:8080", "localhost:8080")]
    [InlineData("http://chat.localhost:8080", "chat.localhost:8080")]
    public void APageOfTheServersOwnAddressMayOpenASocket(string origin, string host) =>
        Assert.True(OriginPolicy.Allows(origin, host, []));

    [Fact]
    public void APageOfThisMachinesOwnNameMayOpenASocket() =>
        Assert.True(OriginPolicy.Allows($"http://{Environment.MachineName}:8080", $"{Environment.MachineName}:8080", []));

    [Theory]
    [InlineData("http://attacker.example:8080", "attacker.example:8080")]
    [InlineData("https://chat.example.com", "chat.example.com")]
    public void AnyOtherNameOnBothSidesMayNotForItCouldBeRebound(string origin, string host) =>
        Assert.False(OriginPolicy.Allows(origin, host, []));

    [Theory]
    [InlineData("https://chat.example.com", "chat.example.com")]
    [InlineData("HTTPS://Chat.Example.com", "chat.example.com")]
    public void BehindATrustedProxyThePagesOwnHostMayOpenASocket(string origin, string host) =>
        Assert.True(OriginPolicy.Allows(origin, host, [], hostVouchedFor: true));

    [Fact]
    public void BehindATrustedProxyAnotherOriginStillMayNot() =>
        Assert.False(OriginPolicy.Allows("https://evil.example.net", "chat.example.com", [], hostVouchedFor: true));

    [Theory]
    [InlineData("https://evil.example.net", "chat.example.com")]
    [InlineData("http://127.0.0.1:9999", "127.0.0.1:8080")]
    [InlineData("https://chat.example.com.evil.net", "chat.example.com")]
    [InlineData("null", "chat.example.com")]
    [InlineData("file://chat.example.com", "chat.example.com")]
    public void APageOfAnyOtherOriginMayNot(string origin, string host) =>
        Assert.False(OriginPolicy.Allows(origin, host, []));

    [Fact]
    public void AListedOriginMayOpenASocket() =>
        Assert.True(OriginPolicy.Allows("https://www.example.com", "chat.example.com", ["https://www.example.com"]));

    [Fact]
    public void AClientThatSendsNoOriginIsNotABrowserAndMay() =>
        Assert.True(OriginPolicy.Allows(null, "chat.example.com", []));
}
